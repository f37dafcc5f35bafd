/** The calibration plot as drawn: dot area proportional to count, nothing over the axis labels. */
import { describe, expect, it } from 'vitest';
import { DOT_RADIUS, calibrationSvg, dotRadius, rocSvg } from '../../src/cli/svg-plots.js';
import { calibration } from '../../src/validation/index.js';

/** Attribute values of every `<tag ...>` in an SVG string. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

const num = (s: string | undefined) => Number(s);

describe('calibration plot', () => {
  it('dot AREA is proportional to the count; tiny bins drawn at the minimum radius', () => {
    expect(dotRadius(100, 100)).toBe(DOT_RADIUS.max);
    // Area ratio = count ratio: r(25)^2 / r(100)^2 = 1/4.
    expect(dotRadius(25, 100) ** 2 / dotRadius(100, 100) ** 2).toBeCloseTo(0.25, 12);
    expect(dotRadius(64, 100) ** 2 / dotRadius(100, 100) ** 2).toBeCloseTo(0.64, 12);
    expect(dotRadius(1, 1000)).toBe(DOT_RADIUS.min);
  });

  // A big bin at (0, 0) and one at (1, 1), the shape a naive Bayes product gives.
  const cases = [
    ...Array.from({ length: 140 }, () => ({ probability: 0.001, event: false })),
    ...Array.from({ length: 10 }, (_, i) => ({ probability: 0.35, event: i < 5 })),
    ...Array.from({ length: 140 }, () => ({ probability: 0.999, event: true })),
  ];
  const svg = calibrationSvg(calibration(cases).bins, 'Calibration');
  const frame = elements(svg, 'rect')[0]!;
  const box = {
    left: num(frame['x']),
    top: num(frame['y']),
    right: num(frame['x']) + num(frame['width']),
    bottom: num(frame['y']) + num(frame['height']),
  };

  it('every dot stays inside the axes, the largest ones at 0 and 1 included', () => {
    const dots = elements(svg, 'circle');
    expect(dots).toHaveLength(3);
    for (const d of dots) {
      const [cx, cy, r] = [num(d['cx']), num(d['cy']), num(d['r'])];
      expect(cx - r).toBeGreaterThanOrEqual(box.left);
      expect(cx + r).toBeLessThanOrEqual(box.right);
      expect(cy - r).toBeGreaterThanOrEqual(box.top);
      expect(cy + r).toBeLessThanOrEqual(box.bottom);
    }
    expect(num(dots[0]!['r'])).toBe(DOT_RADIUS.max);
  });

  it('tick labels ("0.0" ...) sit outside the axes, where no dot reaches', () => {
    const labels = elements(svg, 'text').filter((t) => t['class'] === undefined);
    expect(labels.length).toBe(12);
    for (const t of labels) {
      const [tx, ty] = [num(t['x']), num(t['y'])];
      const inside = tx > box.left && tx < box.right && ty > box.top && ty < box.bottom;
      expect(inside).toBe(false);
    }
  });

  it('the ROC curve uses the same frame: (0,0) and (1,1) inside the axes', () => {
    const roc = rocSvg(
      [
        { threshold: Infinity, fpr: 0, tpr: 0 },
        { threshold: 0.5, fpr: 1, tpr: 1 },
      ],
      'ROC',
    );
    const points = elements(roc, 'polyline')[0]!
      ['points']!.split(' ')
      .map((p) => p.split(',').map(Number));
    for (const [px, py] of points) {
      expect(px!).toBeGreaterThan(box.left);
      expect(px!).toBeLessThan(box.right);
      expect(py!).toBeGreaterThan(box.top);
      expect(py!).toBeLessThan(box.bottom);
    }
  });
});
