/**
 * The playground's card markdown (markdown-it, html false, linkify false) and its link parsing, in
 * Node: what reaches the page's DOM is only markdown-it's own tags, and a link is only http(s).
 */
import { describe, expect, it } from 'vitest';
import { playgroundContract } from '../../src/http/playground.js';
import { renderMarkdown } from '../../src/http/playground/client/markdown.js';
import { parseFragment } from '../../src/http/playground/client/fragment.js';

describe('card markdown in the playground', () => {
  it('renders what cards use: headings, bold, lists, GFM tables (wrapped to scroll in their box)', () => {
    const html = renderMarkdown(
      '#### Evidence\n\n**L1** is *benign*:\n\n- one\n- two\n\n| Sign | LR |\n|---|---:|\n| Pedicle | 0.2 |\n',
    );
    expect(html).toContain('<h4>Evidence</h4>');
    expect(html).toContain('<strong>L1</strong>');
    expect(html).toContain('<em>benign</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toMatch(
      /<div class="table-wrap"><table>[\s\S]*<th>Sign<\/th>[\s\S]*<\/table><\/div>/,
    );
  });

  it('never passes HTML through: tags in the text are shown as text', () => {
    const html = renderMarkdown(
      'x <script>alert(1)</script> <img src=x onerror=alert(1)> <b>b</b>',
    );
    expect(html).not.toMatch(/<script|<img|<b>/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('links only absolute http(s) URLs, opening in a new tab without referrer; no autolinks', () => {
    expect(renderMarkdown('[method](https://cds.example/method)')).toContain(
      '<a href="https://cds.example/method" target="_blank" rel="noopener noreferrer">method</a>',
    );
    for (const bad of [
      '[x](javascript:alert(1))',
      '[x](JAVASCRIPT:alert(1))',
      '[x](data:text/html,hi)',
      '[x](vbscript:msgbox)',
      '[x](/relative)',
      '<javascript:alert(1)>',
    ]) {
      expect(renderMarkdown(bad), bad).not.toContain('<a');
    }
    // linkify is off: text from the data never becomes a link.
    expect(renderMarkdown('see www.evil.example or x@evil.example')).not.toContain('<a');
  });

  it('never loads an image: shown as its alt text', () => {
    const html = renderMarkdown('![tracker](https://evil.example/pixel.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: tracker]');
  });
});

describe("a card's playground link (URL fragment)", () => {
  const contract = playgroundContract();

  it('reads the level and the signs DECISIONS.md names, each checked against the contract', () => {
    const f = parseFragment(
      '#level=L1&pedicle=destroyed&paravertebral-soft-tissue=true&adc=0.75&adc-reference=1.1',
      contract,
    );
    expect(f.level).toBe('L1');
    expect(Object.fromEntries(f.signs)).toEqual({
      pedicle: 'destroyed',
      'paravertebral-soft-tissue': 'true',
      adc: '0.75',
      'adc-reference': '1.1',
    });
    expect(f.ignored).toEqual([]);
    expect(parseFragment('level=unspecified', contract).level).toBe('unspecified');
  });

  it('ignores and names unknown keys, values of the wrong kind, and repeated keys', () => {
    const f = parseFragment(
      '#level=L9&name=Jane&pedicle=broken&paravertebral-soft-tissue=yes&adc=-1&adc=0.8&dwi-signal=high&dwi-signal=low',
      contract,
    );
    expect(f.level).toBeUndefined();
    expect([...f.signs.keys()]).toEqual(['dwi-signal']);
    expect(f.ignored.map((i) => i.split(':')[0])).toEqual([
      'level=L9',
      'name=Jane',
      'pedicle=broken',
      'paravertebral-soft-tissue=yes',
      'adc=-1',
      'adc=0.8',
      'dwi-signal=low',
    ]);
    expect(f.ignored[1]).toContain('unknown key');
  });
});
