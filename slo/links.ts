// Where alerts point people: runbook anchors and dashboard URLs, named once for rules and dashboards alike.
import type { Spec } from './schema';
import type { StackConfig } from './stack';

/** GitHub-style anchor of a runbook heading: lower case, spaces to dashes, punctuation dropped. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Runbook heading of a threshold alert (`## HighErrorRate`) or of an SLO's burn alert (`### ErrorBudgetBurn: availability`). */
export function runbookHeading(alert: { kind: 'threshold'; name: string } | { kind: 'burn'; slo: string }): string {
  return alert.kind === 'threshold' ? alert.name : `ErrorBudgetBurn: ${alert.slo}`;
}

export function runbookUrl(spec: Pick<Spec, 'runbook' | 'links'>, anchor: string, stack: StackConfig): string {
  const base = spec.links?.runbookBaseUrl ?? stack.links.runbookBaseUrl;
  const file = base ? new URL(spec.runbook, base.endsWith('/') ? base : `${base}/`).toString() : spec.runbook;
  return `${file}#${anchor}`;
}

/** Stable dashboard uids; the SLO dashboard is one per service. */
export const DASHBOARD_UIDS = {
  overview: (service: string) => `${service}-overview`,
  slos: (service: string) => `${service}-slos`,
  business: (service: string) => `${service}-business`,
} as const;

export function dashboardUrl(spec: Pick<Spec, 'links'>, uid: string, stack: StackConfig, vars: Record<string, string> = {}): string {
  const base = (spec.links?.grafanaUrl ?? stack.links.grafanaUrl ?? '').replace(/\/$/, '');
  const query = Object.entries(vars).map(([k, v]) => `var-${k}=${encodeURIComponent(v)}`).join('&');
  return `${base}/d/${uid}${query ? `?${query}` : ''}`;
}
