// Placeholder entry point until the CDS Hooks service lands: it must start and answer /healthz.
import { createServer } from 'node:http';

const port = Number(process.env['PORT'] ?? 3000);
createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(req.url === '/healthz' ? { status: 'ok' } : { error: 'not found' }));
}).listen(port, () => console.log(`vcf-cds listening on ${port}`));
