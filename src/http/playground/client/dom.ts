/** Small DOM helpers: every string becomes a text node, never HTML. */

type Attrs = Readonly<Record<string, string | boolean | undefined>>;
type Child = Node | string | null | undefined | readonly Child[];

/** An element with attributes (`text` sets textContent, `class` the class) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'hidden') el.hidden = true;
    else el.setAttribute(k, v === true ? '' : v);
  }
  const append = (c: Child): void => {
    if (c === null || c === undefined) return;
    if (typeof c === 'string' || c instanceof Node) el.append(c);
    else for (const x of c) append(x);
  };
  for (const c of children) append(c);
  return el;
}

/** The element with this id, of the expected type; a missing one is a bug in index.html. */
export function byId<T extends HTMLElement = HTMLElement>(
  id: string,
  type: new () => T = HTMLElement as unknown as new () => T,
): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html has no #${id} of the expected kind`);
  return el;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) stays text. */
export function safeUrl(url: unknown): string | undefined {
  try {
    const u = new URL(String(url), location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function externalLink(url: unknown, label: string): Node {
  const href = safeUrl(url);
  return href
    ? h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, label)
    : document.createTextNode(label);
}

/** A version 4 UUID; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
