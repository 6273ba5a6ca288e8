// The server's Prometheus registry: exactly the catalog's metrics, typed recording handles, bounded labels.
// Every metric is built from app/telemetry/catalog.ts, so what is exported and what rules query cannot drift.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type RegistryContentType } from 'prom-client';
import {
  ALERT_SEVERITIES, ALERT_STATUSES, CACHE_LAYERS, ERROR_SEVERITIES, ERROR_TYPES, HTTP_METHODS, MCP_TOOLS,
  METRICS, OUTCOMES, PLATFORMS, USER_TIERS, type MetricDef,
} from './catalog';
import { memoryLimitBytes } from './memoryLimit';

/** Route label for requests no route matched (404s, probes): never the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';
/** Label value for anything outside a label's allowed set. */
export const OTHER = 'other';
/** Distinct route templates kept before new ones collapse to `other`: a guard against a template built from a raw path. */
export const MAX_ROUTES = 200;

export type CacheLayer = (typeof CACHE_LAYERS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface PoolStats {
  active: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface HttpObservation {
  method: string;
  /** The matched route template (`/api/profile/:id`), or UNMATCHED_ROUTE. */
  route: string;
  statusCode: number;
  seconds: number;
  /** Trace id of the request's span; becomes an exemplar in the OpenMetrics format. */
  traceId?: string;
}

/** What the application records; the app depends on this interface, not on prom-client. */
export interface DomainMetrics {
  observeVectorQuery(seconds: number): void;
  observeLlmGeneration(seconds: number): void;
  recordCacheHit(layer: CacheLayer): void;
  recordCacheMiss(): void;
  /** Platform and tier outside the catalog's sets are recorded as `other`. */
  recordQuery(platform: string, userTier: string): void;
  recordProfileUpdate(): void;
  recordApiKeyCreated(): void;
  recordError(type: string, severity: string): void;
  recordToolCall(tool: string, outcome: Outcome): void;
}

export interface Metrics extends DomainMetrics {
  readonly registry: Registry<RegistryContentType>;
  recordHttpRequest(observation: HttpObservation): void;
  /** Counts a request in flight; call the returned function exactly once when it ends. */
  trackActiveConnection(): () => void;
  recordAlert(severity: string, status: string): void;
  /** Pool gauges read this at every scrape; without a source they stay at 0. */
  setPoolStatsSource(source: (() => PoolStats) | undefined): void;
  render(format: ExpositionFormat): Promise<string>;
  contentType(format: ExpositionFormat): string;
}

export interface MetricsOptions {
  /** Bucket bounds per histogram name, e.g. `instrumentationFor(specs).buckets`; missing names use the catalog's bounds. */
  buckets?: Readonly<Record<string, readonly number[]>>;
  /** prom-client's process and Node.js collectors (CPU, memory, event loop, heap). */
  collectDefaults?: boolean;
  /** Overrides the cgroup/total-memory lookup (tests). */
  memoryLimit?: number;
}

/** Returns `value` when allowed, else `other`. */
export function bound(value: string, allowed: readonly string[]): string {
  return allowed.includes(value) ? value : OTHER;
}

const ROUTE_TEMPLATE = /^\/[A-Za-z0-9_\-/:.*?()+|]{0,127}$/;

function statusLabel(code: number): string {
  return Number.isInteger(code) && code >= 100 && code <= 599 ? String(code) : OTHER;
}

function checkedBuckets(name: string, bounds: readonly number[]): number[] {
  if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || b <= 0 || (i > 0 && b <= bounds[i - 1]))) {
    throw new Error(`buckets for ${name} must be positive, finite and strictly increasing; got [${bounds.join(', ')}]`);
  }
  return [...bounds];
}

function labelNames(def: MetricDef): string[] {
  return def.labels.map((l) => l.name);
}

/** Every combination of a metric's bounded label values, to start each series at zero. */
function labelCombinations(def: MetricDef): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const label of def.labels) {
    if (!label.values) return [];
    combos = combos.flatMap((c) => label.values!.map((v) => ({ ...c, [label.name]: v })));
  }
  return def.labels.length > 0 ? combos : [];
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  // OpenMetrics registry: prom-client allows exemplars only there; the text format is rendered by switching type.
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const counters = new Map<string, Counter<string>>();
  const gauges = new Map<string, Gauge<string>>();
  const histograms = new Map<string, Histogram<string>>();
  let poolSource: (() => PoolStats) | undefined;
  const poolField: Record<string, keyof PoolStats> = {
    database_pool_connections_active: 'active',
    database_pool_connections_idle: 'idle',
    database_pool_connections_waiting: 'waiting',
    database_pool_connections_max: 'max',
  };
  const memoryLimit = options.memoryLimit ?? memoryLimitBytes();

  for (const def of METRICS) {
    if (def.source === 'default') continue;
    const common = { name: def.name, help: def.help, labelNames: labelNames(def), registers: [registry] };
    if (def.type === 'counter') {
      const counter = new Counter(common);
      for (const labels of labelCombinations(def)) counter.inc(labels, 0);
      counters.set(def.name, counter);
    } else if (def.type === 'histogram') {
      const bounds = checkedBuckets(def.name, options.buckets?.[def.name] ?? def.buckets ?? []);
      histograms.set(def.name, new Histogram({
        ...common, buckets: bounds, enableExemplars: def.name === 'http_request_duration_seconds',
      }));
    } else {
      const field = poolField[def.name];
      const collect = field
        ? function (this: Gauge<string>) { this.set(poolSource ? poolSource()[field] : 0); }
        : def.name === 'process_memory_limit_bytes'
          ? function (this: Gauge<string>) { this.set(memoryLimit); }
          : undefined;
      gauges.set(def.name, new Gauge({ ...common, collect }));
    }
  }
  if (options.collectDefaults ?? true) {
    collectDefaultMetrics({ register: registry });
    // prom-client names three gauges `nodejs_active_*_total`; promtool rejects a `_total` suffix on a non-counter,
    // and no rule or dashboard reads them, so they are not exported.
    for (const metric of registry.getMetricsAsArray()) {
      const { name, type } = metric as unknown as { name: string; type: string };
      if (type === 'gauge' && name.endsWith('_total')) registry.removeSingleMetric(name);
    }
  }

  const counter = (name: string) => counters.get(name)!;
  const histogram = (name: string) => histograms.get(name)!;
  const knownRoutes = new Set<string>();
  const routeLabel = (route: string): string => {
    if (route === UNMATCHED_ROUTE || knownRoutes.has(route)) return route;
    if (!ROUTE_TEMPLATE.test(route) || knownRoutes.size >= MAX_ROUTES) return OTHER;
    knownRoutes.add(route);
    return route;
  };

  // Renders are serialised: prom-client renames counters (drops `_total`) while rendering OpenMetrics,
  // and a text render interleaved with it would export the wrong names.
  let renderQueue: Promise<unknown> = Promise.resolve();
  const renderNow = async (format: ExpositionFormat): Promise<string> => {
    const names = new Map(registry.getMetricsAsArray().map((m) => [m, (m as unknown as { name: string }).name]));
    registry.setContentType(format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
    try {
      return await registry.metrics();
    } finally {
      for (const [metric, name] of names) (metric as unknown as { name: string }).name = name;
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    }
  };

  return {
    registry,
    recordHttpRequest({ method, route, statusCode, seconds, traceId }) {
      const labels = { method: bound(method.toUpperCase(), HTTP_METHODS), route: routeLabel(route), status_code: statusLabel(statusCode) };
      histogram('http_request_duration_seconds').observe({
        labels, value: seconds, exemplarLabels: traceId ? { trace_id: traceId } : {},
      });
      counter('http_requests_total').inc(labels);
    },
    trackActiveConnection() {
      const gauge = gauges.get('active_connections')!;
      gauge.inc();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        gauge.dec();
      };
    },
    observeVectorQuery: (seconds) => histogram('vector_query_duration_seconds').observe(seconds),
    observeLlmGeneration: (seconds) => histogram('llm_generation_duration_seconds').observe(seconds),
    recordCacheHit: (layer) => counter('cache_hits_total').inc({ layer: bound(layer, CACHE_LAYERS) }),
    recordCacheMiss: () => counter('cache_misses_total').inc(),
    recordQuery: (platform, userTier) =>
      counter('queries_executed_total').inc({ platform: bound(platform, PLATFORMS), user_tier: bound(userTier, USER_TIERS) }),
    recordProfileUpdate: () => counter('profile_updates_total').inc(),
    recordApiKeyCreated: () => counter('api_keys_created_total').inc(),
    recordError: (type, severity) =>
      counter('errors_total').inc({ type: bound(type, ERROR_TYPES), severity: bound(severity, ERROR_SEVERITIES) }),
    recordToolCall: (tool, outcome) =>
      counter('mcp_tool_calls_total').inc({ tool: bound(tool, MCP_TOOLS), outcome: bound(outcome, OUTCOMES) }),
    recordAlert: (severity, status) =>
      counter('alerts_received_total').inc({ severity: bound(severity, ALERT_SEVERITIES), status: bound(status, ALERT_STATUSES) }),
    setPoolStatsSource(source) {
      poolSource = source;
    },
    render(format) {
      const result = renderQueue.then(() => renderNow(format));
      renderQueue = result.catch(() => undefined);
      return result;
    },
    contentType: (format) => (format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE),
  };
}
