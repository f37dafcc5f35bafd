/**
 * Security headers (helmet), worked out once at start-up rather than by helmet's dozen middlewares
 * on every request: with the options below helmet's headers depend on nothing in the request (no
 * CSP nonce or other function directive), so one run against a recording response gives the whole
 * list, and each request only copies it.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * No upgrade-insecure-requests: inside a hospital network the service may be reached over plain
 * http behind a TLS-terminating proxy, and the playground page must still load its own script.
 */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: { 'script-src': ["'self'"], 'upgrade-insecure-requests': null },
  },
} as const;

/** The headers helmet sets with HELMET_OPTIONS, in its order. */
export function helmetHeaders(): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      const entry: [string, string] = [name, String(value)];
      if (at === -1) headers.push(entry);
      else headers[at] = entry;
    },
    removeHeader(name: string) {
      const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (at !== -1) headers.splice(at, 1);
    },
  };
  let called = false;
  helmet(HELMET_OPTIONS)(
    {} as Parameters<RequestHandler>[0],
    recorder as unknown as Parameters<RequestHandler>[1],
    (error?: unknown) => {
      if (error !== undefined) throw error;
      called = true;
    },
  );
  // helmet runs synchronously; if a future release did not, the list would be incomplete.
  if (!called) throw new Error('helmet did not finish synchronously; security headers unknown');
  return headers;
}

export function securityHeaders(): RequestHandler {
  const headers = helmetHeaders();
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
