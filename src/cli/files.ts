/** Reading and writing whole files, with failures turned into CliErrors that name the file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { CliError } from './cli-error.js';

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}

/** A UTF-8 text file, or ERR_FILE naming it. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'ERR_FILE',
      reason(error) === 'ENOENT' ? 'no such file' : `cannot read (${reason(error)})`,
      { file: path },
    );
  }
}

/** Writes a text file, or ERR_FILE naming it. */
export function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError('ERR_FILE', `cannot write (${reason(error)})`, { file: path });
  }
}
