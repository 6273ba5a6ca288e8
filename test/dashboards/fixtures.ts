// Specs the dashboard tests render: a small inline spec owned by these tests, and the service's real spec.
import path from 'node:path';
import { loadSpecFile, parseSpec } from '../../slo/load';
import type { Spec } from '../../slo/schema';
import { defaultStackConfig, type StackConfig } from '../../slo/stack';

export const SMALL_SPEC_YAML = `
service: digital-twin-mcp
slos:
  - name: availability
    objective: 99.9
    window: 30d
    description: Requests answered without a server error.
    sli:
      ratio:
        errors: http_requests_total{status_code=~"5.."}
        total: http_requests_total
  - name: latency-p95
    objective: 95
    window: 28d
    sli:
      latency:
        histogram: http_request_duration_seconds
        threshold: 1.5
  - name: cache-hit-rate
    objective: 80
    sli:
      ratio:
        good: cache_hits_total
        total: [cache_hits_total, cache_misses_total]
    alerting: { page: false, ticket: true }
routing:
  - severity: critical
    receivers:
      - slack: { channel: "#alerts-critical" }
  - severity: warning
    receivers:
      - slack: { channel: "#alerts-warning" }
`;

export function smallSpec(): Spec {
  return parseSpec(SMALL_SPEC_YAML, 'small-spec.yaml');
}

export function realSpec(): Spec {
  return loadSpecFile(path.join(__dirname, '../../slo/digital-twin-mcp.yaml'));
}

export const STACK: StackConfig = {
  ...defaultStackConfig,
  links: { runbookBaseUrl: 'https://runbooks.example.com/digital-twin/', grafanaUrl: 'https://grafana.example.com' },
};
