/**
 * Text from the data (displays, ids, reasons quoting a value, a server's OperationOutcome) goes
 * into the card's markdown escaped: an EHR renders the detail, so `[x](https://...)`, `**`, raw
 * HTML such as `<img onerror=...>` or a `|` in a table cell must show as the characters they are.
 * CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones with a meaning
 * inside a line (data never starts a line: lists and headings need no escape). `://` is broken
 * too, so that GFM's autolinks do not turn a URL in the data into a link.
 * @see https://spec.commonmark.org/0.31.2/#backslash-escapes
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~]/g;

/** Anything `literal` would change (most text has none: the check is the whole cost then). */
const NEEDS_ESCAPE = /[\\`*_[\]<>|~\r\n]|:\/\//;

/** Data text as literal markdown, on one line. */
export function literal(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replaceAll('://', '\\://')
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
