/**
 * Reads a text file line by line in fixed-size chunks (synchronously, like the rest of the CLI), so
 * a file of any size is read with a buffer of CHUNK bytes plus the longest line, never whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;
/** U+FEFF, the byte order mark some Windows editors and exports put at the start of UTF-8 files. */
const BOM = '\uFEFF';

/**
 * Calls `onLine(line, lineNumber, bytesRead)` for each line (1-based; without its "\n" or "\r\n"; a
 * leading BOM removed). I/O errors are thrown as they come (callers name the file).
 */
export function forEachLine(
  path: string,
  onLine: (line: string, lineNumber: number, bytesRead: number) => void,
): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let lineNumber = 0;
    let bytesRead = 0;
    let first = true;
    const emit = (line: string) => {
      lineNumber++;
      if (first) {
        first = false;
        if (line.startsWith(BOM)) line = line.slice(BOM.length);
      }
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line, lineNumber, bytesRead);
    };
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      bytesRead += n;
      const text = rest + decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        emit(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest !== '') emit(rest);
  } finally {
    closeSync(fd);
  }
}
