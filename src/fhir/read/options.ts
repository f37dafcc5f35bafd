/**
 * Extraction options as given by a caller that may not respect the types, coerced. One idea of
 * extractLevels (../extract-levels.ts).
 */
import type { ReadingOptions } from '../observation-to-finding.js';
import { ADC_MAXIMUM } from '../units.js';
import type { Json } from './state.js';

/** Options as given by a caller that may not respect the types. */
export function readOptions(options: unknown): {
  patientId: string | undefined;
  cancerSnomedCodes: readonly string[];
  now: Date | undefined;
  jsonParsed: boolean;
  reading: ReadingOptions;
  notes: string[];
} {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Json;
  const codes = Array.isArray(o['cancerSnomedCodes']) ? (o['cancerSnomedCodes'] as unknown[]) : [];
  const now = o['now'];
  const minimum = o['adcMinimum'];
  const notes: string[] = [];
  const validMinimum =
    typeof minimum === 'number' && Number.isFinite(minimum) && minimum > 0 && minimum < ADC_MAXIMUM;
  if (minimum !== undefined && !validMinimum) {
    // The configuration checks it first; a caller that did not is told, and nothing is guessed.
    notes.push(
      `The ADC minimum setting (${String(minimum)}) is not a number between 0 and ${ADC_MAXIMUM} x10^-3 mm2/s: it was not applied.`,
    );
  }
  return {
    patientId:
      typeof o['patientId'] === 'string' && o['patientId'] !== '' ? o['patientId'] : undefined,
    cancerSnomedCodes: codes.filter((c): c is string => typeof c === 'string'),
    now: now instanceof Date && !Number.isNaN(now.getTime()) ? now : undefined,
    jsonParsed: o['jsonParsed'] === true,
    reading: { adc: validMinimum ? { minimum } : {} },
    notes,
  };
}
