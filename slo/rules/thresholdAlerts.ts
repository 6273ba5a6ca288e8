// The spec's threshold alerts, labelled and annotated like the generated ones.
import type { Spec } from '../schema';
import type { StackConfig } from '../stack';
import { annotate, type AlertingRule } from './annotate';

export function thresholdAlerts(spec: Spec, stack: StackConfig): AlertingRule[] {
  return spec.alerts.map((a) =>
    annotate(
      {
        alert: a.name,
        expr: a.expr.trim(),
        for: a.for,
        labels: { ...spec.labels, ...a.labels, service: spec.service, severity: a.severity },
        annotations: { summary: a.summary, description: a.description },
      },
      { kind: 'threshold', name: a.name, anchor: a.runbook },
      spec,
      stack,
    ),
  );
}
