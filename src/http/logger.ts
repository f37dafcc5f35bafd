/**
 * The service's logger. Patient data never reaches a log line: handlers log ids, codes and
 * timings only, and redaction removes anything that slips through (names, birth dates,
 * identifiers, free text, tokens, whole request bodies).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths pino removes from every log object, at the top level and one level down. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'access_token',
  '*.access_token',
  'fhirAuthorization',
  '*.fhirAuthorization',
  'body',
  '*.body',
  'prefetch',
  '*.prefetch',
  'context',
  '*.context',
  'name',
  '*.name',
  'birthDate',
  '*.birthDate',
  'identifier',
  '*.identifier',
  'text',
  '*.text',
  'note',
  '*.note',
  'userComment',
  '*.userComment',
  'patientId',
  '*.patientId',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'vcf-cds' },
      redact: { paths: REDACTED_PATHS, remove: true },
    },
    destination,
  );
}
