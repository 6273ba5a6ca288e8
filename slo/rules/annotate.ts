// The single annotation pass: every alert gets summary, description, runbook_url and dashboard_url.
import { dashboardUrl, DASHBOARD_UIDS, headingAnchor, runbookHeading, runbookUrl } from '../links';
import type { Spec } from '../schema';
import type { StackConfig } from '../stack';

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type AlertTarget = { kind: 'threshold'; name: string; anchor?: string } | { kind: 'burn'; slo: string };

export function annotate(rule: AlertingRule, target: AlertTarget, spec: Spec, stack: StackConfig): AlertingRule {
  const anchor = target.kind === 'threshold' && target.anchor ? target.anchor : headingAnchor(runbookHeading(target));
  const uid = target.kind === 'burn' ? DASHBOARD_UIDS.slos(spec.service) : DASHBOARD_UIDS.overview(spec.service);
  const vars: Record<string, string> = target.kind === 'burn' ? { slo: target.slo } : {};
  return {
    ...rule,
    annotations: {
      ...rule.annotations,
      runbook_url: runbookUrl(spec, anchor, stack),
      dashboard_url: dashboardUrl(spec, uid, stack, vars),
    },
  };
}
