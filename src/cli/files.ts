/** Reading and writing whole files, with failures turned into CliErrors that name the file. */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { CliError } from './cli-error.js';

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}

/** ERR_FILE naming the file, for an I/O error. */
export function fileError(path: string, error: unknown, action: string): CliError {
  return new CliError(
    'ERR_FILE',
    reason(error) === 'ENOENT' ? 'no such file' : `${action} (${reason(error)})`,
    { file: path },
  );
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
    throw fileError(path, error, 'cannot read');
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

/** A text file written piece by piece, so output of any size never has to fit in one string. */
export interface TextSink {
  write(text: string): void;
  close(): void;
}

/** Creates (or truncates) a file for writing in pieces; failures are ERR_FILE naming it. */
export function openTextSink(path: string): TextSink {
  const fail = (error: unknown) =>
    new CliError('ERR_FILE', `cannot write (${reason(error)})`, { file: path });
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw fail(error);
  }
  return {
    write(text) {
      try {
        writeSync(fd, text);
      } catch (error) {
        throw fail(error);
      }
    },
    close() {
      try {
        closeSync(fd);
      } catch (error) {
        throw fail(error);
      }
    },
  };
}
