/**
 * Card markdown to HTML with markdown-it (DECISIONS.md: html false, linkify false), the way an
 * EHR renders a card's `detail`. Sanitising by markdown-it itself, no second pass:
 * - `html: false`: raw HTML in the text is escaped, never parsed, so markdown-it emits only the
 *   tags of its own rules, with every text and attribute value escaped;
 * - `linkify: false`: a bare `www.x.example` or `x@y.example` stays text;
 * - links: only absolute http(s) URLs (validateLink below); anything else (javascript:, data:,
 *   relative paths) leaves the `[text](url)` as text. They open in a new tab without referrer;
 * - images: never loaded (a remote image is a tracking beacon and the CSP blocks it anyway):
 *   shown as their alt text.
 * Pure string in, string out (no DOM), so it is tested in Node (test/http/playground-markdown.test.ts).
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

md.validateLink = (url: string): boolean => /^https?:\/\/[^\s]+$/i.test(url.trim());

const defaultLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen
    ? defaultLinkOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

md.renderer.rules.image = (tokens, idx) => {
  const alt = tokens[idx]!.content;
  return md.utils.escapeHtml(alt === '' ? '[image]' : `[image: ${alt}]`);
};

// A wide table scrolls inside its own box, never the page (a 390 px EHR sidebar).
md.renderer.rules.table_open = () => '<div class="table-wrap"><table>\n';
md.renderer.rules.table_close = () => '</table></div>\n';

/** Card markdown as sanitised HTML. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
