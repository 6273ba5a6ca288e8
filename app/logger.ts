// The logger shape the server accepts (winston-compatible); a silent default keeps tests and the CLI quiet.
// Callers must never pass API keys, Authorization headers or question text in messages or metadata.

export type LogMeta = Record<string, unknown>;

export interface AppLogger {
  info(message: string, meta?: LogMeta): unknown;
  warn(message: string, meta?: LogMeta): unknown;
  error(message: string, meta?: LogMeta): unknown;
  debug(message: string, meta?: LogMeta): unknown;
}

export const silentLogger: AppLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
};

/** One JSON line per entry on stderr; used by `npm start` until the telemetry layer injects winston. */
export function consoleLogger(minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info'): AppLogger {
  const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  const emit = (level: keyof typeof order) => (message: string, meta?: LogMeta) => {
    if (order[level] < order[minLevel]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...meta })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
