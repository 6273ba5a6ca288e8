// The common end of every import: fill in what foreign formats lack (external metrics, routing, tiers that
// cannot fire), print our spec as YAML, and prove it loads, locating any remaining problem in the source file.
import { stringify } from 'yaml';
import { findSeries } from '../../app/telemetry/catalog';
import { parseSpec, SpecError, type FieldPath, type Problem, type SourceMap } from '../load';
import { parseSelector } from '../promql';
import { burnWindows } from '../rules/windows';
import type { ExternalMetric, Spec, SpecInput } from '../schema';

type SloInput = SpecInput['slos'][number];

export interface ImportResult {
  /** Our spec as YAML, starting with the schema line; proven to load with `parseSpec`. */
  yaml: string;
  spec: Spec;
  /** What could not be carried over, and what was filled in, one sentence each. */
  notes: string[];
}

export const SCHEMA_LINE = '# yaml-language-server: $schema=./slo.schema.json';

/** Default routing for an imported spec: pages go to PagerDuty, tickets to Slack. */
export function defaultRouting(service: string): SpecInput['routing'] {
  return [
    { severity: 'critical', receivers: [{ pagerduty: { service } }] },
    { severity: 'warning', receivers: [{ slack: { channel: '#alerts-warning' } }] },
  ];
}

export const DEFAULT_ROUTING_NOTE =
  'routing: none in the source; added critical → PagerDuty (receiver pagerduty-<service>) and warning → Slack #alerts-warning: review it';

function selectorList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Metrics the SLIs read that the app's catalog does not know, declared external so the spec validates. */
export function externalMetricsFor(slos: readonly SloInput[], source: string): ExternalMetric[] {
  const out = new Map<string, ExternalMetric>();
  for (const slo of slos) {
    const { ratio, latency } = slo.sli;
    if (ratio) {
      for (const text of [...selectorList(ratio.errors), ...selectorList(ratio.good), ...selectorList(ratio.total)]) {
        const parsed = parseSelector(text);
        if (parsed.ok && !findSeries(parsed.value.metric) && !out.has(parsed.value.metric)) {
          out.set(parsed.value.metric, { name: parsed.value.metric, type: 'counter', source });
        }
      }
    }
    if (latency) {
      const parsed = parseSelector(latency.histogram);
      if (!parsed.ok || findSeries(parsed.value.metric)) continue;
      const known = out.get(parsed.value.metric) ?? { name: parsed.value.metric, type: 'histogram' as const, buckets: [], source };
      // The source query counts this `le` bucket, so the histogram has at least that bound.
      known.buckets = [...new Set([...(known.buckets ?? []), latency.threshold])].sort((a, b) => a - b);
      out.set(parsed.value.metric, known);
    }
  }
  return [...out.values()];
}

/** Turns off alert tiers that can never fire (a 14.4x burn of a 10% budget needs a 144% error ratio) instead of failing. */
export function disableImpossibleTiers(slo: SloInput, notes: string[]): void {
  const alerting = { page: slo.alerting?.page ?? true, ticket: slo.alerting?.ticket ?? true, minEvents: slo.alerting?.minEvents ?? 30 };
  const budget = 1 - slo.objective / 100;
  for (const w of burnWindows({ window: slo.window ?? '30d', alerting })) {
    if (w.factor * budget >= 1 && alerting[w.tier]) {
      alerting[w.tier] = false;
      notes.push(`SLO ${slo.name}: ${w.tier} alerts turned off: a ${w.factor}x burn of a ${(budget * 100).toFixed(2).replace(/\.?0+$/, '')}% budget can never happen`);
    }
  }
  slo.alerting = alerting;
}

/** Our spec's YAML, keys in the order people read them. */
export function specYaml(spec: SpecInput, comment: string): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ['service', 'labels', 'runbook', 'links', 'externalMetrics', 'slos', 'alerts', 'routing'] as const) {
    const value = spec[key];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0 && key !== 'slos')) ordered[key] = value;
  }
  const header = [SCHEMA_LINE, ...comment.split('\n').map((l) => `# ${l}`)].join('\n');
  return `${header}\n${stringify(ordered, { lineWidth: 0 })}`;
}

/**
 * Loads the printed spec. A problem the source caused (an SLO name we do not allow, an objective of 100)
 * is reported at the matching place of the source file through `locate`.
 */
export function proveLoads(yamlText: string, locate: (path: FieldPath) => { map: SourceMap; path: FieldPath } | undefined): Spec {
  try {
    return parseSpec(yamlText, '<imported spec>');
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    const problems: Problem[] = e.problems.map((p) => {
      const path: FieldPath = p.path === '' ? [] : p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const at = locate(path);
      if (!at) return { ...p, message: `${p.message} (in the imported spec)` };
      return at.map.problem(at.path, `${p.message} (our spec's ${p.path || 'document'})`);
    });
    throw new SpecError(problems);
  }
}
