/**
 * Reads FHIR resources from the files a site has at hand: a JSON file (a Bundle, unpacked, or one
 * resource), an NDJSON file (one resource or Bundle per line, FHIR Bulk Data style), or a
 * directory of such files. Every resource keeps where it came from, so an error can name the
 * file, the line and the resource.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CliError, type Place } from './cli-error.js';
import { fileError, readText } from './files.js';
import { forEachLine } from './line-reader.js';
import { isSimulateOutput, isSyntheticTagged } from './synthetic-tag.js';

export type Resource = Readonly<Record<string, unknown>> & { readonly resourceType: string };

/** Where a resource came from. */
export interface Origin {
  readonly file: string;
  /** 1-based line, for NDJSON (a JSON file's resources are named by file and resource). */
  readonly line?: number;
  /** Index in Bundle.entry, when the resource came out of a Bundle. */
  readonly entry?: number;
  /** The enclosing Bundle's fullUrl of the entry (to resolve urn:uuid references). */
  readonly fullUrl?: string;
}

export interface SourcedResource {
  readonly resource: Resource;
  readonly origin: Origin;
  /** The resource or an enclosing Bundle is tagged HTEST (test health data). */
  readonly synthetic: boolean;
  /** The resource or an enclosing Bundle carries `vcf-cds simulate`'s meta.source. */
  readonly simulated: boolean;
}

/** What a resource inherits from the Bundles around it. */
interface Marks {
  readonly synthetic: boolean;
  readonly simulated: boolean;
}
const UNMARKED: Marks = { synthetic: false, simulated: false };

const JSON_EXTENSIONS = new Set(['.json']);
const NDJSON_EXTENSIONS = new Set(['.ndjson', '.jsonl']);

/** "Observation/abc", or the type alone when there is no id. */
export function resourceName(r: Readonly<Record<string, unknown>>): string {
  const type = typeof r['resourceType'] === 'string' ? r['resourceType'] : 'resource';
  return typeof r['id'] === 'string' ? `${type}/${r['id']}` : type;
}

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function parseJson(text: string, place: Place): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 names the offending offset for most syntax errors ("... in JSON at position 10").
    const position = /at position (\d+)/.exec(message)?.[1];
    const line =
      place.line ?? (position === undefined ? undefined : lineAt(text, Number(position)));
    throw new CliError('ERR_SYNTAX', `not valid JSON (${message})`, {
      ...place,
      ...(line !== undefined ? { line } : {}),
    });
  }
}

function asResource(value: unknown, place: Place): Resource {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('ERR_RESOURCE', 'expected a FHIR resource (a JSON object)', place);
  }
  const rt = (value as Record<string, unknown>)['resourceType'];
  if (typeof rt !== 'string' || rt === '') {
    throw new CliError('ERR_RESOURCE', 'expected a FHIR resource: no "resourceType"', place);
  }
  return value as Resource;
}

/** A resource, with a Bundle unpacked into its entries (nested Bundles too). */
function unpack(
  resource: Resource,
  origin: Origin,
  inherited: Marks,
  out: SourcedResource[],
): void {
  const marks: Marks = {
    synthetic: inherited.synthetic || isSyntheticTagged(resource),
    simulated: inherited.simulated || isSimulateOutput(resource),
  };
  if (resource.resourceType !== 'Bundle') {
    out.push({ resource, origin, ...marks });
    return;
  }
  const entries = resource['entry'];
  if (entries === undefined) return;
  if (!Array.isArray(entries)) {
    throw new CliError('ERR_RESOURCE', 'Bundle.entry must be an array', {
      file: origin.file,
      ...(origin.line !== undefined ? { line: origin.line } : {}),
      resource: resourceName(resource),
    });
  }
  entries.forEach((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    // An entry without a resource (e.g. a DELETE in a transaction) carries no data to assess.
    if (e['resource'] === undefined) return;
    const place: Place = {
      file: origin.file,
      ...(origin.line !== undefined ? { line: origin.line } : {}),
      resource: `${resourceName(resource)} entry[${i}]`,
    };
    const inner = asResource(e['resource'], place);
    const fullUrl = typeof e['fullUrl'] === 'string' ? e['fullUrl'] : undefined;
    unpack(
      inner,
      {
        file: origin.file,
        ...(origin.line !== undefined ? { line: origin.line } : {}),
        entry: i,
        ...(fullUrl !== undefined ? { fullUrl } : {}),
      },
      marks,
      out,
    );
  });
}

/** Whether a file is read as NDJSON (by extension; JSON otherwise). */
export function isNdjson(path: string): boolean {
  return NDJSON_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * The resources of one file, one unit at a time: an NDJSON line (read as it streams by, so a file
 * of any size is never held whole), or a whole JSON file. A unit's Bundle comes unpacked; each
 * call gets every resource of one unit (so `urn:uuid:` references resolve inside their Bundle) and
 * the bytes of the file read so far.
 */
export function forEachResourceUnit(
  path: string,
  onUnit: (items: SourcedResource[], bytesRead: number) => void,
): void {
  if (!isNdjson(path)) {
    const place: Place = { file: path };
    const out: SourcedResource[] = [];
    const text = readText(path);
    unpack(asResource(parseJson(text, place), place), { file: path }, UNMARKED, out);
    onUnit(out, Buffer.byteLength(text));
    return;
  }
  let reading = true;
  try {
    forEachLine(path, (raw, lineNumber, bytesRead) => {
      reading = false;
      const line = raw.trim();
      if (line !== '') {
        const origin: Origin = { file: path, line: lineNumber };
        const out: SourcedResource[] = [];
        unpack(asResource(parseJson(line, origin), origin), origin, UNMARKED, out);
        onUnit(out, bytesRead);
      }
      reading = true;
    });
  } catch (error) {
    // Errors of the callback pass through; only the file's own I/O errors are named here.
    if (reading && !(error instanceof CliError)) throw fileError(path, error, 'cannot read');
    throw error;
  }
}

/** Every resource of one JSON or NDJSON file (by extension; JSON when unknown). */
export function readResourceFile(path: string): SourcedResource[] {
  const out: SourcedResource[] = [];
  forEachResourceUnit(path, (items) => out.push(...items));
  return out;
}

/** The readable files of a cohort path: the file itself, or a directory's JSON/NDJSON files. */
export function listResourceFiles(path: string): { files: string[]; directory: boolean } {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    throw new CliError('ERR_FILE', 'no such file or directory', { file: path });
  }
  if (!directory) return { files: [path], directory };
  const files = readdirSync(path)
    .filter((f) => {
      const ext = extname(f).toLowerCase();
      return JSON_EXTENSIONS.has(ext) || NDJSON_EXTENSIONS.has(ext);
    })
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) {
    throw new CliError('ERR_FILE', 'the directory holds no .json or .ndjson file', { file: path });
  }
  return { files, directory };
}
