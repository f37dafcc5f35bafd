/**
 * CORS for browser-based CDS clients such as the CDS Hooks sandbox: every route, preflight
 * included. No credentials are ever allowed with a wildcard origin (the sandbox services' mistake).
 */
import type { RequestHandler } from 'express';

export function corsMiddleware(origins: readonly string[] | '*'): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origins === '*') {
      res.setHeader('Access-Control-Allow-Origin', '*');
    } else {
      // The answer depends on Origin for every request, listed origin or not: a shared cache must
      // not hand one origin's answer (with or without the header) to another.
      res.setHeader('Vary', 'Origin');
      if (origin !== undefined && origins.includes(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
      }
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
