/** A pino logger that keeps every line in memory, to assert what the store logs (and never logs). */
import pino, { type Logger } from 'pino';

export interface CapturedLogger {
  readonly logger: Logger;
  /** Every line written so far, raw JSON text. */
  readonly lines: string[];
  /** All lines as one string, for `not.toContain(secret)`. */
  text(): string;
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}
