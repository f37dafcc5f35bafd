/**
 * The benchmark's baseline: a bare express 5 app with the same body parsing that returns a fixed
 * card list of realistic size (two cards), so the ratio shows what vcf-cds costs on top of express.
 */
import express from 'express';

const detail = 'x'.repeat(3500);
const card = (level: string) => ({
  uuid: '00000000-0000-4000-8000-000000000000',
  summary: `${level} fracture: indeterminate, P(malignant) 50%; consider biopsy`,
  indicator: 'warning',
  detail,
  source: {
    label: 'Zhao et al., Front. Med. 2026',
    url: 'https://doi.org/10.3389/fmed.2026.1759764',
  },
  links: [{ label: 'paper', url: 'https://doi.org/10.3389/fmed.2026.1759764', type: 'absolute' }],
});
const CARDS = { cards: [card('T12'), card('L2')] };

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '5mb' }));
app.post('/cds-services/vcf-assessment', (_req, res) => {
  res.json(CARDS);
});
app.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1');
