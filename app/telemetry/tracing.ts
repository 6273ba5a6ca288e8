// OpenTelemetry for the server: the Node SDK with HTTP and express auto-instrumentation, exporting OTLP over HTTP
// (Jaeger's 4318). Must start before express is loaded, which is why app/instrumentation.ts preloads it.
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor, SimpleSpanProcessor, type InMemorySpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage } from 'node:http';

/** Semantic-conventions name (still "incubating" in the package, so spelled out here). */
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

export type TraceExport =
  /** OTLP/HTTP; `url` is the full traces URL, else OTEL_EXPORTER_OTLP(_TRACES)_ENDPOINT is read by the exporter. */
  | { kind: 'otlp'; url?: string }
  /** Spans kept in memory, exported synchronously as they end (tests). */
  | { kind: 'memory'; exporter: InMemorySpanExporter }
  | { kind: 'none' };

export interface TracingOptions {
  service: string;
  version: string;
  environment: string;
  export: TraceExport;
  /** Incoming paths not traced: scrapes and probes would drown the traces that matter. */
  ignorePaths?: readonly string[];
}

export interface Tracing {
  readonly enabled: boolean;
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

export const DEFAULT_IGNORED_PATHS = ['/metrics', '/health', '/health/liveness', '/health/readiness'];

type Env = Record<string, string | undefined>;

/** OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn tracing off; otherwise OTLP to the configured endpoint. */
export function tracingOptionsFromEnv(env: Env = process.env, service = 'digital-twin-mcp'): TracingOptions {
  const off = env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none';
  return {
    service: env.OTEL_SERVICE_NAME ?? service,
    version: env.APP_VERSION ?? env.npm_package_version ?? '0.0.0',
    environment: env.NODE_ENV ?? 'development',
    export: off ? { kind: 'none' } : { kind: 'otlp' },
  };
}

function ignoredRequest(paths: readonly string[]) {
  return (req: IncomingMessage): boolean => {
    const path = (req.url ?? '').split('?')[0];
    return paths.includes(path);
  };
}

let active: Tracing | undefined;

/** Flushes and stops the SDK if it was started (by the preload); the app's shutdown calls this before exiting. */
export function shutdownTracing(): Promise<void> {
  return active ? active.shutdown() : Promise.resolve();
}

/** Starts the SDK once per process; a second call returns the running instance (preload plus explicit start). */
export function startTracing(options: TracingOptions): Tracing {
  if (active) return active;
  if (options.export.kind === 'none') {
    active = { enabled: false, shutdown: async () => undefined };
    return active;
  }
  if (process.env.OTEL_LOG_LEVEL === 'debug') diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);
  const processor: SpanProcessor = options.export.kind === 'memory'
    ? new SimpleSpanProcessor(options.export.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter(options.export.url ? { url: options.export.url } : {}));
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.service,
      [ATTR_SERVICE_VERSION]: options.version,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: options.environment,
    }),
    spanProcessors: [processor],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: ignoredRequest(options.ignorePaths ?? DEFAULT_IGNORED_PATHS) }),
      new ExpressInstrumentation(),
    ],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  active = {
    enabled: true,
    shutdown: () => {
      stopped ??= sdk.shutdown().catch((error: Error) => {
        process.stderr.write(`tracing shutdown failed: ${error.message}\n`);
      });
      return stopped;
    },
  };
  return active;
}
