// The two rule sets compared on the same data: ours, generated from our spec, and Sloth v0.16's for the same SLO.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generate } from '../../slo/generate';
import { parseSpec } from '../../slo/load';
import { recorded } from '../../slo/rules/names';
import type { SeriesData } from './openMetrics';
import { type Traffic } from './traffic';

/** One rule as Prometheus evaluates it; `record` is absent for alerting rules. */
export interface EvaluatedRule {
  record?: string;
  alert?: string;
  expr: string;
  labels: Record<string, string>;
}

export interface RuleSystem {
  name: string;
  rules: EvaluatedRule[];
  /** The recorded series the long-window rules read, backfilled as if the rules had run all along. */
  history(traffic: Traffic): SeriesData[];
}

/** Sloth's example spec, written in ours: same service, labels, SLO, selectors, and its page/ticket routing. */
export const OUR_SPEC = `
service: myservice
labels: { owner: myteam, repo: myorg/myservice, tier: "2" }
externalMetrics:
  - name: http_request_duration_seconds_count
    type: counter
    source: myservice
slos:
  - name: requests-availability
    objective: 99.9
    window: 30d
    description: Common SLO based on availability for HTTP request responses.
    sli:
      ratio:
        errors: http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}
        total: http_request_duration_seconds_count{job="myservice"}
routing:
  - severity: critical
    receivers: [{ pagerduty: { service: myteam } }]
  - severity: warning
    receivers: [{ slack: { channel: "#alerts-myteam" } }]
`;

export const SLOTH_RULES_FILE = join(__dirname, 'sloth-getting-started.rules.yml');

function labelsOf(rules: readonly EvaluatedRule[], record: string): Record<string, string> {
  const rule = rules.find((r) => r.record === record);
  if (!rule) throw new Error(`no rule records ${record}`);
  return rule.labels;
}

export function ourSystem(): RuleSystem {
  const artifacts = generate([parseSpec(OUR_SPEC, 'bench/ruleCost/systems.ts')]);
  const rules: EvaluatedRule[] = artifacts.services[0].rules.groups.flatMap((g) =>
    g.rules.map((r) => ({ ...r, labels: { ...(r.labels ?? {}) } }) as EvaluatedRule),
  );
  const base = labelsOf(rules, recorded.totalRate('5m'));
  return {
    name: 'ours',
    rules,
    history: (t) => [
      { name: recorded.totalRate('5m'), labels: base, start: t.start, values: t.totalRate5m },
      { name: recorded.errorsRate('5m'), labels: base, start: t.start, values: t.errorsRate5m },
      { name: recorded.totalRate('1h'), labels: labelsOf(rules, recorded.totalRate('1h')), start: t.start, values: t.totalRate1h },
      { name: recorded.errorsRate('1h'), labels: labelsOf(rules, recorded.errorsRate('1h')), start: t.start, values: t.errorsRate1h },
    ],
  };
}

interface RuleFile {
  groups: Array<{ name: string; rules: EvaluatedRule[] }>;
}

export function slothSystem(file = SLOTH_RULES_FILE): RuleSystem {
  const doc = yaml.load(readFileSync(file, 'utf8')) as RuleFile;
  const rules = doc.groups.flatMap((g) => g.rules.map((r) => ({ ...r, labels: { ...(r.labels ?? {}) } })));
  const ratio5m = 'slo:sli_error:ratio_rate5m';
  return {
    name: 'Sloth',
    rules,
    history: (t) => {
      const ratio = t.errorsRate5m.map((e, i) => e / t.totalRate5m[i]);
      return [{ name: ratio5m, labels: labelsOf(rules, ratio5m), start: t.start, values: ratio }];
    },
  };
}

/** The raw request counters both systems' short-window rules read. */
export function counterSeries(t: Traffic): SeriesData[] {
  return t.counters.map((c) => ({
    name: 'http_request_duration_seconds_count',
    labels: { job: 'myservice', instance: c.instance, code: c.code },
    start: t.start,
    values: c.values,
  }));
}
