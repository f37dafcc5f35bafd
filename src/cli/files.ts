/** Reading and writing whole files, with failures turned into CliErrors that name the file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { CliError } from './cli-error.js';

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}

/** U+FEFF, the byte order mark some Windows editors and exports put at the start of UTF-8 files. */
const BOM = '\uFEFF';

/**
 * A UTF-8 text file without a leading byte order mark (JSON.parse rejects one, and a CSV header
 * would start with it), or ERR_FILE naming it.
 */
export function readText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'ERR_FILE',
      reason(error) === 'ENOENT' ? 'no such file' : `cannot read (${reason(error)})`,
      { file: path },
    );
  }
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/** Writes a text file, or ERR_FILE naming it. */
export function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError('ERR_FILE', `cannot write (${reason(error)})`, { file: path });
  }
}
