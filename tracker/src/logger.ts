/** Structured JSON logs (pino) on stdout. */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config/fields.js';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'shoal-tracker' }, timestamp: pino.stdTimeFunctions.isoTime });
}
