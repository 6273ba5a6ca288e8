// The metric catalog: every metric the Digital Twin MCP server exports, defined once.
// The instrumentation registers exactly these; the SLO loader and the generators check against them.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface LabelDef {
  name: string;
  /** Allowed values when bounded; anything else is recorded as `other`. Absent: bounded by construction (route templates, status codes). */
  values?: readonly string[];
}

export interface MetricDef {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly LabelDef[];
  /** Histogram bucket upper bounds (seconds), before SLO thresholds are merged in. */
  buckets?: readonly number[];
  /** When true, every latency threshold the service's SLO spec sets on this histogram is added to its buckets. */
  bucketsFromSpec?: boolean;
  /** Exported by prom-client's default process/Node.js collectors rather than our own code. */
  source?: 'default';
}

/** The service these metrics belong to; a spec for this service may use spec-derived buckets. */
export const CATALOG_SERVICE = 'digital-twin-mcp';

export const PLATFORMS = ['claude', 'chatgpt', 'cursor', 'vscode', 'web', 'api', 'other'] as const;
export const USER_TIERS = ['free', 'pro', 'enterprise', 'other'] as const;
export const CACHE_LAYERS = ['L1', 'L2', 'other'] as const;
export const ERROR_TYPES = [
  'client_error', 'server_error', 'validation', 'auth', 'llm', 'vector', 'database', 'cache', 'other',
] as const;
export const ERROR_SEVERITIES = ['low', 'medium', 'high', 'critical', 'other'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'other'] as const;
export const MCP_TOOLS = ['ask_twin', 'search_profile', 'get_profile', 'update_profile', 'other'] as const;
export const OUTCOMES = ['success', 'error', 'other'] as const;
export const ALERT_SEVERITIES = ['critical', 'warning', 'info', 'other'] as const;
export const ALERT_STATUSES = ['firing', 'resolved', 'other'] as const;

const httpLabels: readonly LabelDef[] = [
  { name: 'method', values: HTTP_METHODS },
  { name: 'route' },
  { name: 'status_code' },
];

export const METRICS: readonly MetricDef[] = [
  {
    name: 'http_request_duration_seconds', type: 'histogram', help: 'Duration of HTTP requests in seconds',
    labels: httpLabels, buckets: [0.1, 0.3, 0.5, 0.7, 1, 3, 5, 7, 10], bucketsFromSpec: true,
  },
  { name: 'http_requests_total', type: 'counter', help: 'Total number of HTTP requests', labels: httpLabels },
  { name: 'active_connections', type: 'gauge', help: 'Number of HTTP requests in flight', labels: [] },
  {
    name: 'vector_query_duration_seconds', type: 'histogram', help: 'Duration of vector database queries',
    labels: [], buckets: [0.05, 0.1, 0.2, 0.5, 1, 2, 5],
  },
  {
    name: 'llm_generation_duration_seconds', type: 'histogram', help: 'Duration of LLM response generation',
    labels: [], buckets: [0.5, 1, 2, 3, 5, 10, 15, 20],
  },
  { name: 'cache_hits_total', type: 'counter', help: 'Total number of cache hits', labels: [{ name: 'layer', values: CACHE_LAYERS }] },
  { name: 'cache_misses_total', type: 'counter', help: 'Total number of lookups that missed every cache layer', labels: [] },
  {
    name: 'queries_executed_total', type: 'counter', help: 'Total number of profile queries executed',
    labels: [{ name: 'platform', values: PLATFORMS }, { name: 'user_tier', values: USER_TIERS }],
  },
  { name: 'profile_updates_total', type: 'counter', help: 'Total number of profile updates', labels: [] },
  { name: 'api_keys_created_total', type: 'counter', help: 'Total number of API keys created', labels: [] },
  {
    name: 'errors_total', type: 'counter', help: 'Total number of errors',
    labels: [{ name: 'type', values: ERROR_TYPES }, { name: 'severity', values: ERROR_SEVERITIES }],
  },
  {
    name: 'mcp_tool_calls_total', type: 'counter', help: 'Total number of MCP tool calls by tool and outcome',
    labels: [{ name: 'tool', values: MCP_TOOLS }, { name: 'outcome', values: OUTCOMES }],
  },
  { name: 'database_pool_connections_active', type: 'gauge', help: 'Database connections checked out of the pool', labels: [] },
  { name: 'database_pool_connections_idle', type: 'gauge', help: 'Database connections idle in the pool', labels: [] },
  { name: 'database_pool_connections_waiting', type: 'gauge', help: 'Queries waiting for a database connection', labels: [] },
  { name: 'database_pool_connections_max', type: 'gauge', help: 'Maximum size of the database connection pool', labels: [] },
  { name: 'process_memory_limit_bytes', type: 'gauge', help: 'Memory limit of the process (cgroup limit, else total memory)', labels: [] },
  {
    name: 'alerts_received_total', type: 'counter', help: 'Alerts received from Alertmanager on the webhook',
    labels: [{ name: 'severity', values: ALERT_SEVERITIES }, { name: 'status', values: ALERT_STATUSES }],
  },
  // prom-client's default collectors; listed where generated rules or dashboards read them.
  { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes', labels: [], source: 'default' },
  { name: 'process_cpu_seconds_total', type: 'counter', help: 'Total user and system CPU time spent in seconds', labels: [], source: 'default' },
  { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since unix epoch in seconds', labels: [], source: 'default' },
  { name: 'nodejs_eventloop_lag_seconds', type: 'gauge', help: 'Lag of event loop in seconds', labels: [], source: 'default' },
  { name: 'nodejs_heap_size_used_bytes', type: 'gauge', help: 'Process heap size used from Node.js in bytes', labels: [], source: 'default' },
];

/** Series Prometheus itself produces for every target or alert; queries may always name them. */
export const PROMETHEUS_BUILTIN_METRICS = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'ALERTS', 'ALERTS_FOR_STATE'] as const;

const byName = new Map(METRICS.map((m) => [m.name, m]));

export function findMetric(name: string): MetricDef | undefined {
  return byName.get(name);
}

/** Resolves a series name (including a histogram's `_bucket`, `_sum`, `_count`) to its catalog entry. */
export function findSeries(seriesName: string): MetricDef | undefined {
  const direct = byName.get(seriesName);
  if (direct) return direct;
  const m = /^(.*)_(bucket|sum|count)$/.exec(seriesName);
  if (!m) return undefined;
  const base = byName.get(m[1]);
  return base && base.type === 'histogram' ? base : undefined;
}
