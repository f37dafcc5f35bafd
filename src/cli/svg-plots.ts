/**
 * The report's two plots as inline SVG strings (no script, no external asset): the ROC curve of
 * P(malignant) and the calibration plot. Pure string builders.
 */
import type { CalibrationBin, RocPoint } from '../validation/index.js';
import { escapeHtml } from './html-escape.js';

const SIZE = 360;
const MARGIN = { left: 56, right: 16, top: 16, bottom: 52 };
/** The frame (axes box). */
const PLOT = SIZE - MARGIN.left - MARGIN.right;
const PLOT_H = SIZE - MARGIN.top - MARGIN.bottom;

/** Calibration dots: area proportional to the bin's count, radius between these (px). */
export const DOT_RADIUS = { min: 3, max: 12 } as const;
/**
 * The data range [0, 1] sits this far inside the frame, so the largest dot at 0 or 1 stays
 * inside the axes and never covers the tick labels, and a curve along an edge stays visible.
 */
const PAD = DOT_RADIUS.max + 2;

const x = (v: number) => (MARGIN.left + PAD + v * (PLOT - 2 * PAD)).toFixed(1);
const y = (v: number) => (MARGIN.top + PAD + (1 - v) * (PLOT_H - 2 * PAD)).toFixed(1);

/** Axes, a 0-1 grid in fifths, the identity diagonal, and the axis titles. */
function frame(xTitle: string, yTitle: string): string {
  const parts: string[] = [];
  const bottom = MARGIN.top + PLOT_H;
  for (let i = 0; i <= 10; i += 2) {
    const t = i / 10;
    parts.push(
      `<line x1="${x(t)}" y1="${MARGIN.top}" x2="${x(t)}" y2="${bottom}" class="grid"/>`,
      `<line x1="${MARGIN.left}" y1="${y(t)}" x2="${MARGIN.left + PLOT}" y2="${y(t)}" class="grid"/>`,
      `<line x1="${x(t)}" y1="${bottom}" x2="${x(t)}" y2="${bottom + 4}" class="tick"/>`,
      `<line x1="${MARGIN.left - 4}" y1="${y(t)}" x2="${MARGIN.left}" y2="${y(t)}" class="tick"/>`,
      `<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${t.toFixed(1)}</text>`,
      `<text x="${MARGIN.left - 7}" y="${(Number(y(t)) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT}" height="${PLOT_H}" class="axes"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" class="diagonal"/>`,
    `<text x="${x(0.5)}" y="${SIZE - 10}" text-anchor="middle" class="title">${escapeHtml(xTitle)}</text>`,
    `<text transform="translate(14 ${y(0.5)}) rotate(-90)" text-anchor="middle" class="title">${escapeHtml(yTitle)}</text>`,
  );
  return parts.join('');
}

const STYLE =
  '<style>' +
  '.grid{stroke:#e3e3e3;stroke-width:1}.axes{fill:none;stroke:#555}.tick{stroke:#555}' +
  '.diagonal{stroke:#999;stroke-dasharray:4 4}.curve{fill:none;stroke:#1f5fa8;stroke-width:2}' +
  '.bar{stroke:#1f5fa8;stroke-width:1.5}.dot{fill:#1f5fa8;fill-opacity:.75}' +
  'text{font:11px sans-serif;fill:#333}.title{font-size:12px}' +
  '</style>';

function svg(label: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}" role="img" aria-label="${escapeHtml(label)}">` +
    `<title>${escapeHtml(label)}</title>${STYLE}${body}</svg>`
  );
}

/** The empirical ROC curve (points from rocPoints, (0,0) first). */
export function rocSvg(points: readonly RocPoint[], label: string): string {
  const path = points.map((p) => `${x(p.fpr)},${y(p.tpr)}`).join(' ');
  return svg(
    label,
    frame(
      '1 - specificity (benign cases called malignant)',
      'Sensitivity (malignant cases called malignant)',
    ) + `<polyline points="${path}" class="curve"/>`,
  );
}

/**
 * A calibration dot's radius: its AREA is proportional to the bin's count (radius ∝ sqrt(n)),
 * the largest bin at DOT_RADIUS.max; a small bin is drawn at DOT_RADIUS.min so it stays visible
 * (the one departure from proportional area, said in the caption).
 */
export function dotRadius(n: number, largest: number): number {
  return Math.max(DOT_RADIUS.min, DOT_RADIUS.max * Math.sqrt(n / largest));
}

/**
 * Calibration: each non-empty bin at (mean predicted, observed proportion), the dot's area
 * proportional to its count (dotRadius), with the observed proportion's 95% Wilson interval as a
 * bar. Bars first, dots over them.
 */
export function calibrationSvg(bins: readonly CalibrationBin[], label: string): string {
  const filled = bins.filter((b) => b.n > 0 && b.meanPredicted !== undefined);
  const largest = Math.max(1, ...filled.map((b) => b.n));
  const bars = filled.map((b) => {
    const cx = x(b.meanPredicted!);
    const ci = b.observed.ci!;
    return `<line x1="${cx}" y1="${y(ci.lower)}" x2="${cx}" y2="${y(ci.upper)}" class="bar"/>`;
  });
  const dots = filled.map(
    (b) =>
      `<circle cx="${x(b.meanPredicted!)}" cy="${y(b.observed.estimate!)}" r="${dotRadius(b.n, largest).toFixed(1)}" class="dot"><title>${escapeHtml(
        `P(malignant) ${b.lower.toFixed(1)}-${b.upper.toFixed(1)}: n=${b.n}, observed ${b.observed.numerator}/${b.n}`,
      )}</title></circle>`,
  );
  return svg(
    label,
    frame('Predicted P(malignant) (bin mean)', 'Observed proportion malignant') +
      bars.join('') +
      dots.join(''),
  );
}
