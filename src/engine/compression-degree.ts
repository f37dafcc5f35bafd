import { COMPRESSION_DEGREE_BOUNDS } from '../knowledge/index.js';
import type { CodedValue } from './finding.js';

/**
 * Reads a vertebral height loss given as a fraction (0.25 = 25%) as the paper's compression grade
 * (Methods, MRI signs (1): degree I < 1/3, degree II 1/3-2/3, degree III > 2/3). Returns undefined
 * for a value outside [0, 1] or not a number: never a guess.
 */
export function compressionDegreeFromHeightLoss(
  fraction: number,
): CodedValue<'compression-degree'> | undefined {
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) return undefined;
  if (fraction < COMPRESSION_DEGREE_BOUNDS.degree2From) return 'degree-1';
  if (fraction <= COMPRESSION_DEGREE_BOUNDS.degree3Above) return 'degree-2';
  return 'degree-3';
}
