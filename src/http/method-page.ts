/**
 * GET /method: "How this assessment works", the page every card links to (docs/clinical-logic.md section
 * 4): the project's clinical logic (`docs/clinical-logic.md`: every rule, number and source) as
 * HTML. Rendered once, at start, with markdown-it (raw HTML off, no autolinking), so the page is
 * as the repository documents it and costs nothing per request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import MarkdownIt from 'markdown-it';
import { projectRoot } from '../project-root.js';

/** Where the method lives in the repository (and in the npm package). */
export const METHOD_DOCUMENT = join(projectRoot(), 'docs', 'clinical-logic.md');

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#1b1b1b}
table{border-collapse:collapse;display:block;overflow-x:auto;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{background:#f3f3f3;padding:0 .2rem}pre{overflow-x:auto;background:#f3f3f3;padding:.5rem}
h1,h2,h3{line-height:1.25}`;

/** The page, from the method's markdown. */
export function methodPageHtml(markdown: string): string {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How this assessment works · vcf-cds</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${md.render(markdown)}
</main>
</body>
</html>
`;
}

/** The router serving /method; the document is read and rendered once. */
export function methodRouter(document: string = METHOD_DOCUMENT): Router {
  const html = methodPageHtml(readFileSync(document, 'utf8'));
  const router = Router();
  router.get('/method', (_req, res) => {
    res.type('html').set('Cache-Control', 'public, max-age=3600').send(html);
  });
  return router;
}
