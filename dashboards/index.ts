// Grafana dashboards composed from typed panel functions, one per dashboard uid.
import type { Spec } from '../slo/schema';
import type { StackConfig } from '../slo/stack';

export interface GrafanaDashboard {
  uid: string;
  title: string;
  [key: string]: unknown;
}

// Placeholder until the dashboards issue lands: no dashboards are rendered yet.
export function buildDashboards(_specs: readonly Spec[], _stack: StackConfig): GrafanaDashboard[] {
  return [];
}
