// OpenSLO v1 in and out: `SLO` documents (inline `indicator` or `indicatorRef` to an `SLI`) with ratio metrics
// from a Prometheus source become our SLOs, and ours are written back as such documents.
import { stringify } from 'yaml';
import { z } from 'zod';
import type { FieldPath, SourceMap } from '../load';
import { parseSelector } from '../promql';
import { leMatcher } from '../rules/sli';
import { tidy } from '../rules/windows';
import { isDuration } from '../duration';
import type { Slo, Spec, SpecInput } from '../schema';
import { DEFAULT_ROUTING_NOTE, defaultRouting, disableImpossibleTiers, externalMetricsFor, proveLoads, specYaml, type ImportResult } from './ourSpec';
import { latencyFromRatio, openSloSelectors, selectorsQuery } from './queries';
import { ProblemList, readDocuments, zodProblems, type SourceDocument } from './yamlSource';

export const OPENSLO_VERSION = 'openslo/v1';

const labelValues = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const metadata = z.object({
  name: z.string().min(1),
  displayName: z.string().optional(),
  labels: labelValues.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const metricSource = z.object({
  metricSourceRef: z.string().optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()),
});

const metric = z.object({ metricSource });

const ratioMetric = z.object({
  counter: z.boolean(),
  good: metric.optional(),
  bad: metric.optional(),
  total: metric,
});

const sliSpec = z.object({
  description: z.string().optional(),
  ratioMetric: ratioMetric.optional(),
  thresholdMetric: metric.optional(),
});

const sliDoc = z.object({ apiVersion: z.literal(OPENSLO_VERSION), kind: z.literal('SLI'), metadata, spec: sliSpec });

const objective = z.object({
  displayName: z.string().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  op: z.string().optional(),
  value: z.number().optional(),
});

const sloDoc = z.object({
  apiVersion: z.literal(OPENSLO_VERSION),
  kind: z.literal('SLO'),
  metadata,
  spec: z.object({
    description: z.string().optional(),
    service: z.string().min(1),
    indicator: z.object({ metadata: metadata.optional(), spec: sliSpec }).optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z.array(z.object({ duration: z.string(), isRolling: z.boolean().optional(), calendar: z.unknown().optional() })).length(1, 'must have exactly one entry'),
    budgetingMethod: z.string(),
    objectives: z.array(objective).min(1),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

const serviceDoc = z.object({
  apiVersion: z.literal(OPENSLO_VERSION),
  kind: z.literal('Service'),
  metadata,
  spec: z.object({ description: z.string().optional() }).optional(),
});

const dataSourceDoc = z.object({
  apiVersion: z.literal(OPENSLO_VERSION),
  kind: z.literal('DataSource'),
  metadata,
  spec: z.object({ type: z.string() }).passthrough(),
});

const header = z.object({ apiVersion: z.string(), kind: z.string() });

type SliSpec = z.output<typeof sliSpec>;
type SloDoc = z.output<typeof sloDoc>;

interface Located<T> {
  value: T;
  map: SourceMap;
}

/** OpenSLO labels may hold lists; ours hold one string. */
function flatLabels(labels: z.output<typeof labelValues> | undefined, where: string, notes: string[]): Record<string, string> | undefined {
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v === 'string') out[k] = v;
    else if (v.length === 1) out[k] = v[0];
    else notes.push(`${where}: label ${k} has several values (${v.join(', ')}); ours take one, so it was left out`);
  }
  return Object.keys(out).length ? out : undefined;
}

class OpenSloReader {
  readonly problems = new ProblemList();
  readonly notes: string[] = [];
  readonly slos: Array<Located<SloDoc>> = [];
  readonly slis = new Map<string, Located<z.output<typeof sliDoc>>>();
  readonly services = new Map<string, Located<z.output<typeof serviceDoc>>>();
  readonly dataSources = new Map<string, Located<z.output<typeof dataSourceDoc>>>();

  constructor(docs: SourceDocument[]) {
    for (const doc of docs) this.read(doc);
  }

  private parse<T>(schema: z.ZodType<T>, doc: SourceDocument): T | undefined {
    const parsed = schema.safeParse(doc.value, { reportInput: true });
    if (parsed.success) return parsed.data;
    this.problems.problems.push(...zodProblems(parsed.error, doc.map));
    return undefined;
  }

  private read(doc: SourceDocument): void {
    const head = this.parse(header, doc);
    if (!head) return;
    if (head.apiVersion !== OPENSLO_VERSION) {
      this.problems.add(doc.map, ['apiVersion'], `must be ${OPENSLO_VERSION} (got ${head.apiVersion}); older OpenSLO versions are not read`);
      return;
    }
    const name = (doc.value as { metadata?: { name?: unknown } }).metadata?.name;
    if (head.kind === 'SLO') {
      const slo = this.parse(sloDoc, doc);
      if (slo) this.slos.push({ value: slo, map: doc.map });
    } else if (head.kind === 'SLI') {
      const sli = this.parse(sliDoc, doc);
      if (sli) this.slis.set(sli.metadata.name, { value: sli, map: doc.map });
    } else if (head.kind === 'Service') {
      const service = this.parse(serviceDoc, doc);
      if (service) this.services.set(service.metadata.name, { value: service, map: doc.map });
    } else if (head.kind === 'DataSource') {
      const source = this.parse(dataSourceDoc, doc);
      if (source) this.dataSources.set(source.metadata.name, { value: source, map: doc.map });
    } else {
      this.notes.push(`${head.kind} ${typeof name === 'string' ? name : `(document ${doc.index})`} not carried over: burn-rate alerts and routing come from our own alerting and routing`);
    }
  }

  /** Our selectors for one metric source, or a located problem. */
  selectors(source: z.output<typeof metricSource>, map: SourceMap, path: FieldPath): string[] | undefined {
    let type = source.type;
    if (source.metricSourceRef) {
      const ref = this.dataSources.get(source.metricSourceRef);
      if (!ref) {
        this.problems.add(map, [...path, 'metricSourceRef'], `no DataSource named \`${source.metricSourceRef}\` in this file`);
        return undefined;
      }
      type = type ?? ref.value.spec.type;
    }
    if (type === undefined || type.toLowerCase() !== 'prometheus') {
      this.problems.add(map, [...path, type === undefined ? 'spec' : 'type'], `only Prometheus metric sources can be imported (got ${type ?? 'no type'})`);
      return undefined;
    }
    const query = source.spec.query;
    if (typeof query !== 'string' || query.trim() === '') {
      this.problems.add(map, [...path, 'spec', 'query'], 'is required: a PromQL counter selector such as http_requests_total{code=~"5.."}');
      return undefined;
    }
    const mapped = openSloSelectors(query);
    if (!mapped.ok) {
      this.problems.add(map, [...path, 'spec', 'query'], `cannot map onto a selector: ${mapped.reason}`);
      return undefined;
    }
    return mapped.value;
  }

  sli(spec: SliSpec, map: SourceMap, path: FieldPath, sloName: string): Slo['sli'] | undefined {
    if (spec.thresholdMetric || !spec.ratioMetric) {
      this.problems.add(map, spec.thresholdMetric ? [...path, 'thresholdMetric'] : path, `SLO ${sloName}: only ratioMetric SLIs can be imported; a threshold metric has no good and total events to count`);
      return undefined;
    }
    const ratio = spec.ratioMetric;
    const at = [...path, 'ratioMetric'];
    if (!ratio.counter) {
      this.problems.add(map, [...at, 'counter'], `SLO ${sloName}: must be true: our SLIs take rates of counters, and a gauge ratio cannot be traffic-weighted`);
      return undefined;
    }
    if ((ratio.good === undefined) === (ratio.bad === undefined)) {
      this.problems.add(map, at, `SLO ${sloName}: set exactly one of \`good\` or \`bad\` beside \`total\``);
      return undefined;
    }
    const which = ratio.good ? 'good' : 'bad';
    const part = this.selectors((ratio.good ?? ratio.bad)!.metricSource, map, [...at, which, 'metricSource']);
    const total = this.selectors(ratio.total.metricSource, map, [...at, 'total', 'metricSource']);
    if (!part || !total) return undefined;
    if (which === 'good') {
      const latency = latencyFromRatio(part, total);
      if (latency) return { latency };
    }
    const one = (list: string[]): string | string[] => (list.length === 1 ? list[0] : list);
    return { ratio: which === 'good' ? { good: one(part), total: one(total) } : { errors: one(part), total: one(total) } };
  }

  slo({ value: doc, map }: Located<SloDoc>): SpecInput['slos'][number] | undefined {
    const { spec } = doc;
    const name = doc.metadata.name;
    const before = this.problems.problems.length;
    let sli: Slo['sli'] | undefined;
    if ((spec.indicator === undefined) === (spec.indicatorRef === undefined)) {
      this.problems.add(map, ['spec'], `SLO ${name}: set exactly one of \`indicator\` or \`indicatorRef\``);
    } else if (spec.indicator) {
      sli = this.sli(spec.indicator.spec, map, ['spec', 'indicator', 'spec'], name);
    } else {
      const ref = this.slis.get(spec.indicatorRef!);
      if (!ref) this.problems.add(map, ['spec', 'indicatorRef'], `SLO ${name}: no SLI named \`${spec.indicatorRef}\` in this file`);
      else sli = this.sli(ref.value.spec, ref.map, ['spec'], name);
    }
    const window = spec.timeWindow[0];
    if (window.isRolling === false || window.calendar !== undefined) {
      this.problems.add(map, ['spec', 'timeWindow', 0], `SLO ${name}: calendar windows cannot be imported; ours are rolling`);
    } else if (!isDuration(window.duration) || /ms$/.test(window.duration)) {
      this.problems.add(map, ['spec', 'timeWindow', 0, 'duration'], `SLO ${name}: must be a rolling duration in minutes, hours, days or weeks such as 28d (got ${window.duration})`);
    }
    if (spec.budgetingMethod !== 'Occurrences') {
      this.problems.add(map, ['spec', 'budgetingMethod'], `SLO ${name}: must be Occurrences (got ${spec.budgetingMethod}); time-slice budgets count bad minutes, not bad events`);
    }
    if (spec.objectives.length !== 1) {
      this.problems.add(map, ['spec', 'objectives', 1], `SLO ${name}: has ${spec.objectives.length} objectives; ours have one each: split it into one SLO per objective`);
    }
    const target = spec.objectives[0];
    if ((target.target === undefined) === (target.targetPercent === undefined)) {
      this.problems.add(map, ['spec', 'objectives', 0], `SLO ${name}: set exactly one of \`target\` (0.999) or \`targetPercent\` (99.9)`);
    } else if (target.target !== undefined && !(target.target > 0 && target.target < 1)) {
      this.problems.add(map, ['spec', 'objectives', 0, 'target'], `SLO ${name}: must be a ratio between 0 and 1 such as 0.999 (got ${target.target}${target.target > 1 ? '; for 99.9 use targetPercent' : ''})`);
    } else if (target.targetPercent !== undefined && !(target.targetPercent > 0 && target.targetPercent < 100)) {
      this.problems.add(map, ['spec', 'objectives', 0, 'targetPercent'], `SLO ${name}: must be between 0 and 100, exclusive: a 100% objective leaves no error budget (got ${target.targetPercent})`);
    }
    if (this.problems.problems.length > before || !sli) return undefined;
    if (target.displayName) this.notes.push(`SLO ${name}: objective display name "${target.displayName}" not carried over`);
    if (doc.metadata.displayName) this.notes.push(`SLO ${name}: display name "${doc.metadata.displayName}" not carried over`);
    if (spec.alertPolicies?.length) this.notes.push(`SLO ${name}: alertPolicies not carried over: our burn-rate alerts page and open tickets by the SRE workbook's windows`);
    const labels = flatLabels(doc.metadata.labels, `SLO ${name}`, this.notes);
    const slo: SpecInput['slos'][number] = {
      name,
      objective: target.target !== undefined ? tidy(target.target * 100) : target.targetPercent!,
      window: window.duration,
      ...(spec.description ? { description: spec.description } : {}),
      sli,
      ...(labels ? { labels } : {}),
    };
    disableImpossibleTiers(slo, this.notes);
    return slo;
  }
}

export function importOpenSlo(text: string, file: string): ImportResult {
  const docs = readDocuments(text, file);
  const reader = new OpenSloReader(docs);
  reader.problems.throwIfAny();
  if (reader.slos.length === 0) {
    reader.problems.add(docs[0].map, [], 'no OpenSLO `SLO` document in this file');
    reader.problems.throwIfAny();
  }
  const service = reader.slos[0].value.spec.service;
  for (const s of reader.slos.slice(1)) {
    if (s.value.spec.service !== service) {
      reader.problems.add(s.map, ['spec', 'service'], `every SLO of one import must belong to one service (${service}); import the SLOs of \`${s.value.spec.service}\` from a file of their own`);
    }
  }
  reader.problems.throwIfAny();
  const slos = reader.slos.map((s) => reader.slo(s));
  reader.problems.throwIfAny();
  const ourSlos = slos as SpecInput['slos'];
  const serviceDocument = reader.services.get(service);
  const labels = flatLabels(serviceDocument?.value.metadata.labels, `Service ${service}`, reader.notes);
  if (serviceDocument?.value.spec?.description) reader.notes.push(`Service ${service}: description not carried over (our spec has none for the service)`);
  const externalMetrics = externalMetricsFor(ourSlos, `${service} (imported from OpenSLO)`);
  const notes = [...reader.notes];
  if (externalMetrics.length > 0) notes.push(`externalMetrics: declared ${externalMetrics.map((m) => `${m.name} (${m.type})`).join(', ')}, which the Digital Twin app does not export`);
  notes.push(DEFAULT_ROUTING_NOTE.replace('<service>', service));
  const ours: SpecInput = {
    service,
    ...(labels ? { labels } : {}),
    ...(externalMetrics.length ? { externalMetrics } : {}),
    slos: ourSlos,
    routing: defaultRouting(service),
  };
  const yaml = specYaml(ours, `Imported from the OpenSLO file ${file} by \`slo import --from openslo\`.\nRouting was filled in; read the notes the import printed.`);
  const spec = proveLoads(yaml, (path) => {
    if (path[0] === 'service') return { map: reader.slos[0].map, path: ['spec', 'service'] };
    if (path[0] === 'labels' && serviceDocument) return { map: serviceDocument.map, path: ['metadata', ...path] };
    if (path[0] === 'slos' && typeof path[1] === 'number') {
      const src = reader.slos[path[1]];
      const field = path[2];
      const target: FieldPath =
        field === 'name' ? ['metadata', 'name'] :
        field === 'labels' ? ['metadata', ...path.slice(2)] :
        field === 'objective' ? ['spec', 'objectives', 0] :
        field === 'window' ? ['spec', 'timeWindow', 0, 'duration'] :
        field === 'description' ? ['spec', 'description'] :
        field === 'sli' ? ['spec', src.value.spec.indicatorRef ? 'indicatorRef' : 'indicator'] : ['spec'];
      return { map: src.map, path: target };
    }
    return undefined;
  });
  return { yaml, spec, notes };
}

export interface ExportResult {
  yaml: string;
  notes: string[];
}

function metricSourceOf(query: string): { metricSource: { type: string; spec: { query: string } } } {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

/** Our SLI as an OpenSLO ratio metric; latency SLIs count the threshold's bucket as good events. */
function ratioMetricOf(slo: Slo): { ratioMetric: Record<string, unknown> } | { reason: string } {
  const { ratio, latency } = slo.sli;
  if (latency) {
    const parsed = parseSelector(latency.histogram);
    if (!parsed.ok) return { reason: 'its histogram selector does not parse' };
    const matchers = parsed.value.matchers;
    const bucket = `${parsed.value.metric}_bucket{${[matchers, leMatcher(latency.threshold)].filter(Boolean).join(',')}}`;
    const count = `${parsed.value.metric}_count${matchers ? `{${matchers}}` : ''}`;
    return { ratioMetric: { counter: true, good: metricSourceOf(bucket), total: metricSourceOf(count) } };
  }
  const part = ratio!.errors ?? ratio!.good!;
  const partQuery = selectorsQuery(part);
  const totalQuery = selectorsQuery(ratio!.total);
  if (!partQuery.ok) return { reason: partQuery.reason };
  if (!totalQuery.ok) return { reason: totalQuery.reason };
  return { ratioMetric: { counter: true, [ratio!.errors !== undefined ? 'bad' : 'good']: metricSourceOf(partQuery.value), total: metricSourceOf(totalQuery.value) } };
}

/** Our specs as OpenSLO v1 documents: a Service per spec, then an SLO with an inline indicator per SLO. */
export function exportOpenSlo(specs: readonly Spec[]): ExportResult {
  const docs: unknown[] = [];
  const notes: string[] = [];
  for (const spec of specs) {
    docs.push({
      apiVersion: OPENSLO_VERSION,
      kind: 'Service',
      metadata: { name: spec.service, ...(spec.labels ? { labels: spec.labels } : {}) },
      spec: {},
    });
    for (const slo of spec.slos) {
      const metric = ratioMetricOf(slo);
      if ('reason' in metric) {
        notes.push(`${spec.service} SLO ${slo.name} left out: ${metric.reason}`);
        continue;
      }
      docs.push({
        apiVersion: OPENSLO_VERSION,
        kind: 'SLO',
        metadata: { name: slo.name, ...(slo.labels ? { labels: slo.labels } : {}) },
        spec: {
          ...(slo.description ? { description: slo.description } : {}),
          service: spec.service,
          indicator: { metadata: { name: `${slo.name}-sli` }, spec: metric },
          timeWindow: [{ duration: slo.window, isRolling: true }],
          budgetingMethod: 'Occurrences',
          objectives: [{ target: tidy(slo.objective / 100) }],
        },
      });
      const alerting = slo.alerting;
      if (!alerting.page || !alerting.ticket || alerting.minEvents !== 30) {
        notes.push(`${spec.service} SLO ${slo.name}: alerting (page ${alerting.page}, ticket ${alerting.ticket}, minEvents ${alerting.minEvents}) not carried over: OpenSLO alert policies do not express burn-rate tiers`);
      }
    }
    if (spec.alerts.length) notes.push(`${spec.service}: threshold alerts (${spec.alerts.map((a) => a.name).join(', ')}) not carried over: OpenSLO has no free-form alert rules`);
    const dropped = ['routing', ...(spec.runbook !== 'RUNBOOK.md' ? ['runbook'] : []), ...(spec.links ? ['links'] : []), ...(spec.externalMetrics ? ['externalMetrics'] : [])];
    notes.push(`${spec.service}: ${dropped.join(', ')} not carried over: OpenSLO has no place for them`);
  }
  const yaml = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return { yaml: `# OpenSLO v1, exported by \`slo export --to openslo\` from the SLO spec.\n${yaml}`, notes };
}
