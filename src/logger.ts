/**
 * The service's logger: JSON lines for machines (files, journald, log shippers), and
 * pino-pretty's coloured one-liners when stdout is a terminal, so a person running
 * `npm start` reads times, levels and messages rather than braces.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export interface LoggerOptions {
  /** pino level name (RETAKE_LOG_LEVEL). */
  level: string;
  /** Pretty-print for a person. Default: whether stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go. Default stdout. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, name: 'retake' };
  const destination = options.destination ?? process.stdout;
  if (options.pretty ?? process.stdout.isTTY === true) {
    return pino(base, pretty({ destination, sync: true, colorize: destination === process.stdout, ignore: 'pid,hostname,name', translateTime: 'HH:MM:ss.l' }));
  }
  return pino(base, destination);
}
