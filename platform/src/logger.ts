// pino JSON logs; every line carries the request / case / workflow ids from the context.
import pino from 'pino';
import { currentContext } from './context';

export type Logger = pino.Logger;

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => ({ ...currentContext() }),
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'token',
        '*.token',
        'secret',
        '*.secret',
        'AUTH_JWT_SECRET',
      ],
      censor: '[redacted]',
    },
  });
}
