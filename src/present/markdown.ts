/**
 * Text from the data (displays, ids, reasons quoting a value, a server's OperationOutcome) goes
 * into the card's markdown escaped: an EHR renders the detail, so `[x](https://...)`, `**`, raw
 * HTML such as `<img onerror=...>` or a `|` in a table cell must show as the characters they are.
 * CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones with a meaning
 * inside a line (data never starts a line: lists and headings need no escape).
 * @see https://spec.commonmark.org/0.31.2/#backslash-escapes
 *
 * GFM's autolinks (`www.x`, `http://x`, `x@y.z`, and markdown-it's `//x`) are not syntax but
 * patterns found in the text after parsing, and renderers built on mdast (remark, react-markdown)
 * find them after backslash escapes are resolved: `x\@y.z` still becomes a link there. So these
 * patterns are broken in the text itself, with a WORD JOINER (U+2060): invisible, no line break,
 * but not part of any autolink: `x⁠@y.z`, `www⁠.x`, `http:/⁠/x`.
 * @see https://github.github.com/gfm/#autolinks-extension-
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~]/g;

const WORD_JOINER = '\u2060';

/** Where an autolink starts: a `@` (e-mail, `mailto:`, `xmpp:`), `//` (any scheme), `www.`. */
const AUTOLINK_TRIGGER = /@|\/\/|(?<=www)\./gi;

/** Anything `literal` would change (most text has none: the check is the whole cost then). */
const NEEDS_ESCAPE = /[\\`*_[\]<>|~\r\n@]|\/\/|www\./i;

/** Data text as literal markdown, on one line. */
export function literal(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(AUTOLINK_TRIGGER, (t) => (t === '//' ? `/${WORD_JOINER}/` : `${WORD_JOINER}${t}`))
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Data text cut to at most `max` characters (at a space when one is near), before escaping: a
 * card's detail has a fixed budget, and ids, displays and reasons from the data have no bound.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
