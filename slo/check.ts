// Checks a schema-valid spec against what Prometheus, the app and Alertmanager can actually do.
import { CATALOG_SERVICE, findSeries, PROMETHEUS_BUILTIN_METRICS, type MetricType } from '../app/telemetry/catalog';
import { parseDuration } from './duration';
import type { FieldPath, Problem, SourceMap } from './load';
import { parseExpr, parseSelector, type Selector } from './promql';
import { isRecordedSeries } from './rules/names';
import { allBurnWindows, burnWindows } from './rules/windows';
import type { Spec } from './schema';

interface KnownMetric {
  type: MetricType;
  buckets?: readonly number[];
  bucketsFromSpec: boolean;
}

/** Labels the generators set themselves; a spec may not override them. */
const RESERVED_LABELS = ['service', 'slo', 'severity', 'long_window', 'short_window', 'alertname'];

/** Secret-looking values: credentials in URLs, Slack/PagerDuty/generic tokens. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/https?:\/\/[^/\s:@]+:[^/\s@]+@/, 'a URL with a password'],
  [/hooks\.slack\.com\/services\//, 'a Slack webhook URL'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b(gsk|sk|ghp|glpat)[-_][A-Za-z0-9]{16,}/, 'an API key'],
  [/\b[0-9a-f]{32}\b/, 'a 32-character hex key (PagerDuty routing keys look like this)'],
];

class Checker {
  readonly problems: Problem[] = [];
  private readonly external = new Map<string, KnownMetric>();

  constructor(
    private readonly spec: Spec,
    private readonly map: SourceMap,
  ) {
    for (const m of spec.externalMetrics ?? []) {
      this.external.set(m.name, { type: m.type, buckets: m.buckets, bucketsFromSpec: false });
    }
  }

  report(path: FieldPath, message: string, opts?: { key?: boolean; offset?: number }): void {
    this.problems.push(this.map.problem(path, message, opts));
  }

  /** Catalog or declared-external metric behind a series name (`_bucket`/`_count`/`_sum` included). */
  metric(series: string): KnownMetric | undefined {
    const direct = this.external.get(series);
    if (direct) return direct;
    const base = /^(.*)_(bucket|sum|count)$/.exec(series);
    const ext = base ? this.external.get(base[1]) : undefined;
    if (ext?.type === 'histogram') return ext;
    const def = findSeries(series);
    if (!def) return undefined;
    return { type: def.type, buckets: def.buckets, bucketsFromSpec: def.bucketsFromSpec === true && this.spec.service === CATALOG_SERVICE };
  }

  unknownMetricMessage(name: string): string {
    return `metric \`${name}\` is not exported by the app (app/telemetry/catalog.ts); declare it under externalMetrics if another exporter provides it`;
  }

  all(): Problem[] {
    this.names();
    this.labels(['labels'], this.spec.labels);
    this.spec.slos.forEach((_, i) => this.slo(i));
    this.spec.alerts.forEach((_, i) => this.alert(i));
    this.routes();
    return this.problems;
  }

  names(): void {
    const seen = new Map<string, number>();
    this.spec.slos.forEach((s, i) => {
      if (seen.has(s.name)) this.report(['slos', i, 'name'], `duplicate SLO name \`${s.name}\` (also slos.${seen.get(s.name)})`);
      else seen.set(s.name, i);
    });
    const alerts = new Map<string, number>();
    this.spec.alerts.forEach((a, i) => {
      if (a.name === 'ErrorBudgetBurn') this.report(['alerts', i, 'name'], '`ErrorBudgetBurn` is the generated burn-rate alert; choose another name');
      if (alerts.has(a.name)) this.report(['alerts', i, 'name'], `duplicate alert name \`${a.name}\` (also alerts.${alerts.get(a.name)})`);
      else alerts.set(a.name, i);
    });
  }

  labels(path: FieldPath, labels: Record<string, string> | undefined): void {
    for (const key of Object.keys(labels ?? {})) {
      if (RESERVED_LABELS.includes(key)) this.report([...path, key], `label \`${key}\` is set by the generator and cannot be overridden`, { key: true });
    }
  }

  slo(i: number): void {
    const slo = this.spec.slos[i];
    const path: FieldPath = ['slos', i];
    this.labels([...path, 'labels'], slo.labels);
    const windowSeconds = parseDuration(slo.window);
    if (windowSeconds % 3600 !== 0) {
      this.report([...path, 'window'], `must be a whole number of hours (got ${slo.window}); long windows are averaged from hourly tiles`);
      return;
    }
    const windows = burnWindows(slo);
    const longest = Math.max(...allBurnWindows(slo).filter((w) => windows.some((x) => x.tier === w.tier)).map((w) => parseDuration(w.longWindow)), 0);
    if (longest > 0 && windowSeconds < 2 * longest) {
      this.report([...path, 'window'], `${slo.window} is too short for its alert windows: the longest is ${longest / 86400 >= 1 ? `${longest / 86400}d` : `${longest / 3600}h`}, so the SLO window must be at least twice that`);
    }
    const budget = 1 - slo.objective / 100;
    for (const w of windows) {
      const needed = w.factor * budget;
      if (needed >= 1) {
        this.report(
          [...path, 'alerting', w.tier],
          `${w.tier} alerts can never fire: a ${w.factor}x burn over ${w.longWindow} needs an error ratio of ${(needed * 100).toFixed(0)}% with a ${(budget * 100).toFixed(3).replace(/\.?0+$/, '')}% budget; set \`${w.tier}: false\``,
        );
      }
    }
    if (slo.sli.ratio) this.ratioSli(i);
    if (slo.sli.latency) this.latencySli(i);
  }

  /** Parses a selector field (string or list item) and reports syntax, unknown metrics and wrong types. */
  selector(path: FieldPath, text: string, expected: MetricType[]): Selector | undefined {
    const parsed = parseSelector(text);
    if (!parsed.ok) {
      this.report(path, `PromQL: ${parsed.message}`, { offset: parsed.offset });
      return undefined;
    }
    const known = this.metric(parsed.value.metric);
    if (!known) {
      this.report(path, this.unknownMetricMessage(parsed.value.metric));
      return undefined;
    }
    const isHistogramSeries = /_(bucket|count)$/.test(parsed.value.metric) && known.type === 'histogram';
    if (!expected.includes(known.type) && !(expected.includes('counter') && isHistogramSeries)) {
      this.report(path, `\`${parsed.value.metric}\` is a ${known.type}; ${expected.join(' or ')} expected here`);
    }
    return parsed.value;
  }

  ratioSli(i: number): void {
    const ratio = this.spec.slos[i].sli.ratio!;
    const base: FieldPath = ['slos', i, 'sli', 'ratio'];
    for (const field of ['errors', 'good', 'total'] as const) {
      const value = ratio[field];
      if (value === undefined) continue;
      const list = Array.isArray(value) ? value : [value];
      list.forEach((text, j) => this.selector(Array.isArray(value) ? [...base, field, j] : [...base, field], text, ['counter']));
    }
  }

  latencySli(i: number): void {
    const latency = this.spec.slos[i].sli.latency!;
    const path: FieldPath = ['slos', i, 'sli', 'latency'];
    const selector = this.selector([...path, 'histogram'], latency.histogram, ['histogram']);
    if (!selector) return;
    if (/_(bucket|count|sum)$/.test(selector.metric)) {
      this.report([...path, 'histogram'], `name the histogram itself (\`${selector.metric.replace(/_(bucket|count|sum)$/, '')}\`), not its \`_bucket\`/\`_count\` series`);
      return;
    }
    const known = this.metric(selector.metric)!;
    if (known.type !== 'histogram' || known.bucketsFromSpec) return;
    if (!known.buckets) {
      this.report([...path, 'histogram'], `declare the buckets of \`${selector.metric}\` under externalMetrics so the threshold can be checked`);
    } else if (!known.buckets.includes(latency.threshold)) {
      this.report([...path, 'threshold'], `${latency.threshold} is not a bucket bound of \`${selector.metric}\` (bounds: ${known.buckets.join(', ')}); the SLI would be interpolated, not counted`);
    }
  }

  alert(i: number): void {
    const alert = this.spec.alerts[i];
    this.labels(['alerts', i, 'labels'], alert.labels);
    const parsed = parseExpr(alert.expr);
    if (!parsed.ok) {
      this.report(['alerts', i, 'expr'], `PromQL: ${parsed.message}`, { offset: parsed.offset });
      return;
    }
    for (const name of parsed.value.metrics) {
      const builtin = (PROMETHEUS_BUILTIN_METRICS as readonly string[]).includes(name);
      if (!builtin && !isRecordedSeries(name) && !this.metric(name)) this.report(['alerts', i, 'expr'], this.unknownMetricMessage(name));
    }
  }

  routes(): void {
    const routed = new Map<string, number>();
    this.spec.routing.forEach((r, i) => {
      if (routed.has(r.severity)) this.report(['routing', i, 'severity'], `severity \`${r.severity}\` is already routed by routing.${routed.get(r.severity)}`);
      else routed.set(r.severity, i);
    });
    const noRoute = (sev: string) => `severity \`${sev}\` has no route; add \`- severity: ${sev}\` under routing`;
    this.spec.alerts.forEach((a, i) => {
      if (!routed.has(a.severity)) this.report(['alerts', i, 'severity'], noRoute(a.severity));
    });
    this.spec.slos.forEach((s, i) => {
      for (const w of burnWindows(s)) {
        if (!routed.has(w.severity)) {
          this.report(['slos', i, 'alerting', w.tier], `${w.tier} alerts have severity \`${w.severity}\`, which has no route; add \`- severity: ${w.severity}\` under routing`);
          break;
        }
      }
    });
  }

}

/** Secret-looking strings anywhere in the raw document, checked before the schema so that even a misplaced one is caught. */
export function secretProblems(raw: unknown, map: SourceMap): Problem[] {
  const problems: Problem[] = [];
  const visit = (value: unknown, path: FieldPath): void => {
    if (typeof value === 'string') {
      const hit = SECRET_PATTERNS.find(([pattern]) => pattern.test(value));
      if (hit) {
        problems.push(map.problem(path, `looks like ${hit[1]}; secrets never go in the spec: supply them at deploy time (Pulumi config secrets or files)`));
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i]));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  visit(raw, []);
  return problems;
}

/** Every problem of a schema-valid spec, located through `map`. */
export function checkSpec(spec: Spec, map: SourceMap): Problem[] {
  return new Checker(spec, map).all();
}

