// Expected output of `slo validate` for each file of the invalid-spec corpus: exact locations and messages.
export const EXPECTED: Record<string, string[]> = {
  'bad-email': [
    "bad-email.yaml:21:22: routing.0.receivers.0.email.to: must be an e-mail address",
  ],
  'bad-for': [
    "bad-for.yaml:14:10: alerts.0.for: must be a duration such as 30s, 5m, 1h, 30d",
  ],
  'bad-service-name': [
    "bad-service-name.yaml:1:10: service: must be lower-case letters, digits and dashes, starting with a letter",
  ],
  'bad-window': [
    "bad-window.yaml:6:13: slos.0.window: must be a duration such as 30s, 5m, 1h, 30d",
  ],
  'both-sli-kinds': [
    "both-sli-kinds.yaml:8:7: slos.0.sli: set exactly one of `ratio` or `latency`",
  ],
  'duplicate-alert': [
    "duplicate-alert.yaml:18:11: alerts.1.name: duplicate alert name `HighErrorRate` (also alerts.0)",
  ],
  'duplicate-key': [
    "duplicate-key.yaml:7:5: YAML: duplicate key",
  ],
  'duplicate-slo': [
    "duplicate-slo.yaml:11:11: slos.1.name: duplicate SLO name `availability` (also slos.0)",
  ],
  'empty-slos': [
    "empty-slos.yaml:3:7: slos: must have at least 1 item(s)",
  ],
  'empty': [
    "empty.yaml:1:1: the spec is empty; expected a mapping with service, slos and routing",
  ],
  'errors-and-good': [
    "errors-and-good.yaml:9:9: slos.0.sli.ratio: set exactly one of `errors` or `good`",
  ],
  'gauge-in-ratio': [
    "gauge-in-ratio.yaml:10:16: slos.0.sli.ratio.total: `active_connections` is a gauge; counter expected here",
  ],
  'latency-on-counter': [
    "latency-on-counter.yaml:9:20: slos.0.sli.latency.histogram: `http_requests_total` is a counter; histogram expected here",
  ],
  'missing-service': [
    "missing-service.yaml:1:1: service: is required (string)",
  ],
  'not-a-mapping': [
    "not-a-mapping.yaml:1:1: must be a mapping (got a list)",
  ],
  'objective-100': [
    "objective-100.yaml:5:16: slos.0.objective: must be below 100: a 100% objective leaves no error budget",
  ],
  'objective-string': [
    "objective-string.yaml:5:16: slos.0.objective: must be a number (got string \"99.9%\")",
  ],
  'objective-zero': [
    "objective-zero.yaml:5:16: slos.0.objective: must be above 0 (a percentage)",
  ],
  'page-impossible': [
    "page-impossible.yaml:4:5: slos.0.alerting.page: page alerts can never fire: a 14.4x burn over 1h needs an error ratio of 144% with a 10% budget; set `page: false`",
  ],
  'promql-not-selector': [
    "promql-not-selector.yaml:10:16: slos.0.sli.ratio.total: PromQL: must be a plain series selector such as metric_name{label=\"value\"}, not an expression",
  ],
  'promql-syntax-alert': [
    "promql-syntax-alert.yaml:13:42: alerts.0.expr: PromQL: unexpected end of expression",
  ],
  'promql-syntax-selector': [
    "promql-syntax-selector.yaml:9:55: slos.0.sli.ratio.errors: PromQL: unexpected end of expression",
  ],
  'receiver-two-kinds': [
    "receiver-two-kinds.yaml:21:9: routing.0.receivers.0: set exactly one of `pagerduty`, `slack` or `email`",
  ],
  'reserved-alert-name': [
    "reserved-alert-name.yaml:12:11: alerts.0.name: `ErrorBudgetBurn` is the generated burn-rate alert; choose another name",
  ],
  'reserved-label': [
    "reserved-label.yaml:2:27: labels.severity: label `severity` is set by the generator and cannot be overridden",
  ],
  'secret-in-description': [
    "secret-in-description.yaml:17:18: alerts.0.description: looks like a 32-character hex key (PagerDuty routing keys look like this); secrets never go in the spec: supply them at deploy time (Pulumi config secrets or files)",
  ],
  'secret-in-spec': [
    "secret-in-spec.yaml:21:47: routing.0.receivers.0.slack.url: unknown key `url`; allowed: channel",
    "secret-in-spec.yaml:21:52: routing.0.receivers.0.slack.url: looks like a Slack webhook URL; secrets never go in the spec: supply them at deploy time (Pulumi config secrets or files)",
  ],
  'severity-no-route': [
    "severity-no-route.yaml:4:5: slos.0.alerting.ticket: ticket alerts have severity `warning`, which has no route; add `- severity: warning` under routing",
  ],
  'threshold-not-bucket': [
    "threshold-not-bucket.yaml:16:20: slos.1.sli.latency.threshold: 0.3 is not a bucket bound of `vector_query_duration_seconds` (bounds: 0.05, 0.1, 0.2, 0.5, 1, 2, 5); the SLI would be interpolated, not counted",
  ],
  'unknown-metric-in-alert': [
    "unknown-metric-in-alert.yaml:13:11: alerts.0.expr: metric `node_memory_MemTotal_bytes` is not exported by the app (app/telemetry/catalog.ts); declare it under externalMetrics if another exporter provides it",
  ],
  'unknown-metric': [
    "unknown-metric.yaml:10:16: slos.0.sli.ratio.total: metric `http_request_total` is not exported by the app (app/telemetry/catalog.ts); declare it under externalMetrics if another exporter provides it",
  ],
  'unknown-severity': [
    "unknown-severity.yaml:15:15: alerts.0.severity: must be one of \"critical\", \"warning\", \"info\"",
  ],
  'unknown-slo-key': [
    "unknown-slo-key.yaml:4:5: slos.0.objective: is required (number)",
    "unknown-slo-key.yaml:5:5: slos.0.objectiv: unknown key `objectiv`; did you mean `objective`?",
  ],
  'unknown-top-key': [
    "unknown-top-key.yaml:2:1: lables: unknown key `lables`; did you mean `labels`?",
  ],
  'window-not-hours': [
    "window-not-hours.yaml:6:13: slos.0.window: must be a whole number of hours (got 90m); long windows are averaged from hourly tiles",
  ],
  'window-too-short': [
    "window-too-short.yaml:6:13: slos.0.window: 4d is too short for its alert windows: the longest is 3d, so the SLO window must be at least twice that",
  ],
  'yaml-syntax': [
    "yaml-syntax.yaml:6:5: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  'yaml-tab-indent': [
    "yaml-tab-indent.yaml:6:1: YAML: Tabs are not allowed as indentation",
  ],
};
