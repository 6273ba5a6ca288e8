// One Prometheus rule file per service: a recording group per SLO, then burn-rate and threshold alerts.
import type { Spec } from '../schema';
import type { StackConfig } from '../stack';
import type { AlertingRule } from './annotate';
import { burnAlerts } from './burnAlerts';
import { recordingRules, type RecordingRule } from './recording';
import { thresholdAlerts } from './thresholdAlerts';

/** Groups carry no interval: Prometheus's own evaluation_interval applies, so every environment ships the same file. */
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<RecordingRule | AlertingRule>;
}

export interface RuleFile {
  groups: RuleGroup[];
}

export function ruleFile(spec: Spec, stack: StackConfig): RuleFile {
  const groups: RuleGroup[] = spec.slos.map((slo) => ({
    name: `slo:${spec.service}:${slo.name}`,
    rules: recordingRules(spec, slo),
  }));
  const burn = spec.slos.flatMap((slo) => burnAlerts(spec, slo, stack));
  if (burn.length > 0) groups.push({ name: `slo-alerts:${spec.service}`, rules: burn });
  const threshold = thresholdAlerts(spec, stack);
  if (threshold.length > 0) groups.push({ name: `alerts:${spec.service}`, rules: threshold });
  return { groups };
}
