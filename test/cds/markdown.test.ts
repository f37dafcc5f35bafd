/**
 * Data text escaped by `literal` stays text in real GFM renderers: no link, no image, no HTML.
 * Three renderers an EHR may use: markdown-it with linkify (GFM-like autolinks), marked (gfm), and
 * mdast (remark, react-markdown), which finds autolinks after backslash escapes are resolved.
 */
import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { literal } from '../../src/present/markdown.js';

const markdownIt = new MarkdownIt({ linkify: true });

/** The node types of an mdast tree, depth first. */
function mdastTypes(node: { type: string; children?: unknown[] }): string[] {
  const children = (node.children ?? []) as { type: string; children?: unknown[] }[];
  return [node.type, ...children.flatMap(mdastTypes)];
}

const RENDERERS: Readonly<Record<string, (md: string) => string>> = {
  'markdown-it (linkify)': (md) => markdownIt.render(md),
  'marked (gfm)': (md) => marked.parse(md, { gfm: true, async: false }),
  // mdast has no HTML: the node types stand in for elements (link, image, html).
  'mdast (remark-gfm)': (md) =>
    mdastTypes(fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }))
      .map((t) => `<${t === 'link' ? 'a' : t === 'image' ? 'img' : t}>`)
      .join(''),
};

const HOSTILE = [
  'www.evil.example',
  'WWW.evil.example/path',
  'see http://evil.example/x',
  'HTTPS://evil.example',
  'ftp://evil.example',
  'protocol-relative //evil.example/x',
  'x@evil.example',
  'mailto:x@evil.example',
  'xmpp:x@evil.example/resource',
  '[x](https://evil.example)',
  '![x](https://evil.example/i.png)',
  '[x][r]\n\n[r]: https://evil.example',
  '<https://evil.example>',
  '<x@evil.example>',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">x</a>',
];

describe('literal: data text in card markdown', () => {
  for (const [name, render] of Object.entries(RENDERERS)) {
    for (const text of HOSTILE) {
      it(`${name}: ${JSON.stringify(text)} gives no link, image or HTML`, () => {
        // In a sentence and in a table cell, as the card detail places data text.
        const md = `Reported: ${literal(text)} (as stored).\n\n| a | b |\n|---|---|\n| ${literal(text)} | 1 |\n`;
        const html = render(md);
        expect(html).not.toMatch(/<a[\s>]|<img[\s>]|<html>/i);
        expect(html).not.toMatch(/<(script|iframe|svg)/i);
      });
    }
  }

  it('control: the same text unescaped does become a link in each renderer', () => {
    for (const render of Object.values(RENDERERS)) {
      expect(render('see x@evil.example and www.evil.example')).toMatch(/<a[\s>]/);
    }
  });

  it('shows the characters as they are (the word joiner is invisible and breaks no line)', () => {
    const text = 'x@evil.example www.evil.example http://evil.example [a](b) *c* a|b';
    const shown = markdownIt
      .renderInline(literal(text))
      .replaceAll('\u2060', '')
      .replaceAll('&amp;', '&');
    expect(shown).toBe(text);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['T12: osteoporotic', 'ADC 1.25 x10^-3 mm2/s', 'pedicle destroyed (L3)']) {
      expect(literal(text)).toBe(text);
    }
    expect(literal('two\r\nlines')).toBe('two lines');
  });
});
