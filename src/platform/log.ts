import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'bulwark' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
