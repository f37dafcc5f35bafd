/**
 * The command line's one error type: a stable code, a plain message, and where the problem is
 * (file, line, resource), so bad input ends in one readable line and an exit code, never a
 * stack trace. Thrown inside the CLI layer and caught once, in `runCli`.
 */

/** Stable error codes (tests and scripts rely on them). */
export type CliErrorCode =
  /** Wrong command line: unknown command or option, missing argument. Exit 2. */
  | 'ERR_USAGE'
  /** A file or directory that cannot be read or written. */
  | 'ERR_FILE'
  /** Not JSON / NDJSON / CSV as expected. */
  | 'ERR_SYNTAX'
  /** JSON that is not a FHIR resource, or a resource the command cannot use. */
  | 'ERR_RESOURCE'
  /** A reference (biopsy) result that is missing, malformed, ambiguous or matches no patient. */
  | 'ERR_REFERENCE'
  /** A VCF_* setting in the environment is invalid. */
  | 'ERR_SETTINGS';

/** Where an error is: any of file, line (1-based, for NDJSON/CSV/JSON) and resource ("Type/id"). */
export interface Place {
  readonly file?: string;
  readonly line?: number;
  readonly resource?: string;
}

/** A bad-input or usage error: code, plain message, and where. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly place: Place;

  constructor(code: CliErrorCode, message: string, place: Place = {}) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.place = place;
  }

  /** Usage errors exit 2 (the shell convention); every other bad input exits 1. */
  get exitCode(): number {
    return this.code === 'ERR_USAGE' ? 2 : 1;
  }
}

/** "file:line: Type/id" (the parts known), the prefix of an error line. */
export function placeText(place: Place): string {
  const fileLine =
    place.file === undefined
      ? undefined
      : place.line === undefined
        ? place.file
        : `${place.file}:${place.line}`;
  return [fileLine, place.resource].filter((p) => p !== undefined).join(': ');
}

/** The one line printed for a CliError: "vcf-cds: file:line: Type/id: message". */
export function errorLine(error: CliError): string {
  const where = placeText(error.place);
  return `vcf-cds: ${where === '' ? '' : `${where}: `}${error.message}`;
}
