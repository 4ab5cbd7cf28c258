import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Creates the process logger: JSON lines (or human-readable lines when `pretty`), on stdout, or on
 * stderr for the CLI so that its stdout stays clean for `--json`.
 */
export function createLogger(options: { level: string; pretty: boolean; stderr?: boolean }): Logger {
  const fd = options.stderr ? 2 : 1;
  const base: LoggerOptions = {
    level: options.level,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret'],
  };
  if (options.pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: {
          colorize: true,
          destination: fd,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname',
          singleLine: true,
        },
      },
    });
  }
  return pino(base, pino.destination(fd));
}
