// The server's logger: winston JSON lines carrying service, environment, version, request id and trace ids,
// redacted before any transport (console, rotating files, Elasticsearch) sees them.
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import path from 'node:path';
import winston from 'winston';
import type TransportStream from 'winston-transport';
import { ElasticsearchTransport, type ElasticsearchTransportOptions, type ElasticsearchTransportStats } from './elasticsearchTransport';
import { redact } from './redact';
import { currentRequestId } from './requestContext';

export interface LoggerOptions {
  service: string;
  environment: string;
  version: string;
  level?: string;
  /** `pretty` for people (development), `json` for collectors, false for none. */
  console?: 'pretty' | 'json' | false;
  /** Folder for combined.log and error.log; false for no files. */
  files?: { dir: string; maxSizeBytes?: number; maxFiles?: number } | false;
  elasticsearch?: ElasticsearchTransportOptions;
  /** Extra transports (tests capture output with a stream transport). */
  transports?: TransportStream[];
}

export interface Logger extends winston.Logger {
  /** Drains the Elasticsearch buffer (bounded by `timeoutMs`) and closes the transports. */
  shutdown(timeoutMs?: number): Promise<void>;
  elasticsearchStats(): ElasticsearchTransportStats | undefined;
}

type Env = Record<string, string | undefined>;

/** Logger settings from the environment: LOG_LEVEL, LOG_DIR, LOG_FILES, LOG_FORMAT, ELASTICSEARCH_*. */
export function loggerOptionsFromEnv(env: Env = process.env, service = 'digital-twin-mcp'): LoggerOptions {
  const environment = env.NODE_ENV ?? 'development';
  const filesWanted = env.LOG_FILES !== undefined ? env.LOG_FILES === 'on' || env.LOG_FILES === 'true' : environment !== 'test';
  const consoleFormat = env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty'
    ? env.LOG_FORMAT
    : environment === 'development' ? 'pretty' : 'json';
  return {
    service,
    environment,
    version: env.APP_VERSION ?? env.npm_package_version ?? '0.0.0',
    level: env.LOG_LEVEL ?? 'http',
    console: environment === 'test' && env.LOG_FORMAT === undefined ? false : consoleFormat,
    files: filesWanted ? { dir: env.LOG_DIR ?? path.resolve('logs') } : false,
    elasticsearch: env.ELASTICSEARCH_URL
      ? {
        url: env.ELASTICSEARCH_URL,
        index: env.ELASTICSEARCH_INDEX ?? 'digitaltwin-logs',
        username: env.ELASTICSEARCH_USER,
        password: env.ELASTICSEARCH_PASSWORD,
        apiKey: env.ELASTICSEARCH_API_KEY,
      }
      : undefined,
  };
}

/** Adds the request id and the active trace and span ids; runs in the caller's async context. */
const correlation = winston.format((info) => {
  const requestId = currentRequestId();
  if (requestId && info.requestId === undefined) info.requestId = requestId;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) {
    info.trace_id = spanContext.traceId;
    info.span_id = spanContext.spanId;
  }
  return info;
});

/** Replaces the entry by its redacted copy; symbol keys (winston's level and message slots) survive. */
const redaction = winston.format((info) => redact(info));

const prettyLine = winston.format.printf((info) => {
  const { timestamp, level, message, service, environment, version, ...rest } = info;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${String(timestamp)} ${level}: ${String(message)}${extra}`;
});

export function createLogger(options: LoggerOptions): Logger {
  const transports: TransportStream[] = [];
  if (options.console === 'pretty') {
    transports.push(new winston.transports.Console({ format: winston.format.combine(winston.format.colorize(), prettyLine) }));
  } else if (options.console === 'json') {
    transports.push(new winston.transports.Console());
  }
  if (options.files) {
    const common = {
      dirname: options.files.dir,
      maxsize: options.files.maxSizeBytes ?? 10 * 1024 * 1024,
      maxFiles: options.files.maxFiles ?? 5,
      tailable: true,
    };
    transports.push(new winston.transports.File({ ...common, filename: 'combined.log' }));
    transports.push(new winston.transports.File({ ...common, filename: 'error.log', level: 'error' }));
  }
  const elasticsearch = options.elasticsearch ? new ElasticsearchTransport(options.elasticsearch) : undefined;
  if (elasticsearch) transports.push(elasticsearch);
  transports.push(...(options.transports ?? []));

  const logger = winston.createLogger({
    level: options.level ?? 'http',
    defaultMeta: { service: options.service, environment: options.environment, version: options.version },
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      correlation(),
      redaction(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports,
    // A transport failure (disk full, ES rejecting) must not take the server down.
    exitOnError: false,
  }) as Logger;
  // Silently: no transport at all is allowed (tests), winston otherwise warns on every entry.
  if (transports.length === 0) logger.silent = true;

  logger.elasticsearchStats = () => elasticsearch?.stats();
  logger.shutdown = async (timeoutMs = 5_000) => {
    if (elasticsearch) await elasticsearch.flush(timeoutMs);
    const fileDone = transports
      .filter((t): t is InstanceType<typeof winston.transports.File> => t instanceof winston.transports.File)
      .map((t) => new Promise<void>((resolve) => {
        t.once('finish', () => resolve());
        setTimeout(resolve, timeoutMs).unref();
      }));
    logger.end();
    await Promise.all(fileDone);
  };
  return logger;
}
