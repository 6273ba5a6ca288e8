// Assembles the telemetry layer for the server: logger, metrics and observer first (the services need them),
// then the app's slots (request context, RED metrics, /metrics, /health*, /alerts/webhook, the error handler).
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import Redis from 'ioredis';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { alertWebhookRouter } from '../alerts/webhook';
import { observerFromMetrics } from '../metrics-observer';
import type { AppObserver } from '../observer';
import type { Services } from '../services';
import { instrumentationFor } from '../../slo/instrumentation';
import { loadSpecFile } from '../../slo/load';
import { errorHandler, errorReportingOptionsFromEnv, initErrorReporting, type ErrorReporting, type ErrorReportingOptions } from './errors';
import { healthRouter, type DependencyCheck } from './health';
import { databaseCheck, llmCheck, redisCheck, vectorStoreCheck } from './healthChecks';
import { httpMetricsMiddleware } from './httpMetrics';
import { createLogger, loggerOptionsFromEnv, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { metricsHandler } from './metricsEndpoint';
import { requestContextMiddleware } from './requestContext';
import { requestLogMiddleware } from './requestLog';
import { shutdownTracing } from './tracing';

type Env = Record<string, string | undefined>;

export const DEFAULT_SPEC_FILE = 'slo/digital-twin-mcp.yaml';

export interface TelemetryOptions {
  env?: Env;
  /** Prebuilt pieces (tests, bench); otherwise built from the environment. */
  logger?: Logger;
  metrics?: Metrics;
  errorReporting?: Partial<ErrorReportingOptions>;
}

export interface AppSlots {
  logger: Logger;
  observer: AppObserver;
  beforeRoutes: RequestHandler[];
  errorHandlers: ErrorRequestHandler[];
}

export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
  observer: AppObserver;
  errorReporting: ErrorReporting;
  /** The createApp slots, with health checks over the opened services. */
  slots(services: Services): AppSlots;
  /** Flushes error reports and logs; call after the HTTP server has closed. */
  shutdown(): Promise<void>;
}

/**
 * Histogram buckets: the catalog's plus every latency threshold of the SLO spec (SLO_SPEC_FILE, default
 * slo/digital-twin-mcp.yaml). A missing file falls back to the catalog's bounds; an invalid one stops the start.
 */
export function bucketsFromSpec(env: Env, logger: Pick<Logger, 'warn'>): Record<string, number[]> | undefined {
  const file = path.resolve(env.SLO_SPEC_FILE ?? DEFAULT_SPEC_FILE);
  if (!existsSync(file)) {
    logger.warn('SLO spec not found: histogram buckets use the catalog bounds only', { file });
    return undefined;
  }
  return instrumentationFor([loadSpecFile(file)]).buckets;
}

export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(loggerOptionsFromEnv(env));
  const metrics = options.metrics ?? createMetrics({ buckets: bucketsFromSpec(env, logger) });
  const errorReporting = initErrorReporting({ ...errorReportingOptionsFromEnv(env), ...options.errorReporting });
  const observer = observerFromMetrics(metrics);
  let healthRedis: Redis | undefined;

  return {
    logger,
    metrics,
    observer,
    errorReporting,
    slots(services) {
      const { config } = services;
      const checks: DependencyCheck[] = [
        databaseCheck(services.db),
        vectorStoreCheck(() => services.index.search('health check', 1)),
        llmCheck(() => Boolean(config.groq.apiKey)),
      ];
      if (config.redisUrl) {
        // A connection of its own: the cache's client hides errors by design, a probe must see them.
        healthRedis = new Redis(config.redisUrl, {
          lazyConnect: true, connectTimeout: 1_000, commandTimeout: 500, enableOfflineQueue: false, maxRetriesPerRequest: 0,
          retryStrategy: (times) => Math.min(times * 200, 5_000),
        });
        healthRedis.on('error', () => undefined);
        healthRedis.connect().catch(() => undefined);
        checks.push(redisCheck(healthRedis));
      }
      const version = env.APP_VERSION ?? env.npm_package_version ?? '0.0.0';
      const metricsRoute = express.Router();
      metricsRoute.get('/metrics', metricsHandler(metrics));
      return {
        logger,
        observer,
        beforeRoutes: [
          requestContextMiddleware(),
          httpMetricsMiddleware(metrics),
          requestLogMiddleware(logger),
          metricsRoute,
          healthRouter({ checks, version }),
          alertWebhookRouter({ token: env.ALERT_WEBHOOK_TOKEN, logger, metrics }),
        ],
        errorHandlers: [errorHandler(logger)],
      };
    },
    async shutdown() {
      healthRedis?.disconnect();
      // process.exit skips 'beforeExit', so buffered spans are flushed here.
      await shutdownTracing();
      await errorReporting.flush(2_000);
      await logger.shutdown(5_000);
    },
  };
}
