// `slo import --from sloth`: a Sloth `prometheus/v1` spec (or its PrometheusServiceLevel CRD) as our spec.
// Events SLIs of the form sum(rate(SELECTOR[{{.window}}])) become ratio SLIs; anything else is refused by name.
import { z } from 'zod';
import type { FieldPath, SourceMap } from '../load';
import type { SpecInput } from '../schema';
import { slothEventsSelector } from './queries';
import { DEFAULT_ROUTING_NOTE, defaultRouting, disableImpossibleTiers, externalMetricsFor, proveLoads, specYaml, type ImportResult } from './ourSpec';
import { ProblemList, readDocuments, zodProblems } from './yamlSource';

const stringMap = z.record(z.string(), z.string());

const alertLevel = z.strictObject({
  disable: z.boolean().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

const slothSlo = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  objective: z.number().gt(0, 'must be above 0 (a percentage)').max(100, 'must be at most 100 (a percentage)'),
  description: z.string().optional(),
  labels: stringMap.optional(),
  sli: z.strictObject({
    events: z.strictObject({ error_query: z.string().min(1), total_query: z.string().min(1) }).optional(),
    raw: z.strictObject({ error_ratio_query: z.string().min(1) }).optional(),
    plugin: z.strictObject({ id: z.string(), options: z.record(z.string(), z.unknown()).optional() }).optional(),
  }),
  alerting: z
    .strictObject({
      name: z.string().optional(),
      labels: stringMap.optional(),
      annotations: stringMap.optional(),
      page_alert: alertLevel.optional(),
      ticket_alert: alertLevel.optional(),
    })
    .optional(),
  plugins: z.unknown().optional(),
});

const slothSpec = z.strictObject({
  version: z.literal('prometheus/v1'),
  service: z.string().min(1),
  labels: stringMap.optional(),
  slo_plugins: z.unknown().optional(),
  slos: z.array(slothSlo).min(1),
});

const slothCrd = z.object({
  apiVersion: z.literal('sloth.slok.dev/v1'),
  kind: z.literal('PrometheusServiceLevel'),
  spec: z.strictObject({ service: z.string().min(1), labels: stringMap.optional(), slo_plugins: z.unknown().optional(), slos: z.array(slothSlo).min(1) }),
});

type SlothSpec = z.output<typeof slothSpec>;

/** Sloth specs carry no time window; Sloth's own default period is 30 days. */
const SLOTH_DEFAULT_WINDOW = '30d';

function readSloth(text: string, file: string): { spec: Omit<SlothSpec, 'version'>; map: SourceMap; prefix: FieldPath } {
  const docs = readDocuments(text, file);
  const problems = new ProblemList();
  if (docs.length > 1) {
    problems.add(docs[1].map, [], `this file holds ${docs.length} specs; import one service per file (our specs describe one service each)`);
    problems.throwIfAny();
  }
  const { value, map } = docs[0];
  const isCrd = typeof value === 'object' && value !== null && 'apiVersion' in value;
  const parsed = isCrd ? slothCrd.safeParse(value, { reportInput: true }) : slothSpec.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    problems.problems.push(...zodProblems(parsed.error, map));
    problems.throwIfAny();
  }
  const data = parsed.data!;
  return 'apiVersion' in data ? { spec: data.spec, map, prefix: ['spec'] } : { spec: data, map, prefix: [] };
}

export function importSloth(text: string, file: string): ImportResult {
  const { spec: sloth, map, prefix } = readSloth(text, file);
  const problems = new ProblemList();
  const notes: string[] = [];
  const slos: SpecInput['slos'] = [];
  sloth.slos.forEach((s, i) => {
    const at: FieldPath = [...prefix, 'slos', i];
    const { events, raw, plugin } = s.sli;
    const kinds = [events, raw, plugin].filter((k) => k !== undefined).length;
    if (kinds !== 1) {
      problems.add(map, [...at, 'sli'], `SLO ${s.name}: set exactly one of \`events\`, \`raw\` or \`plugin\``);
      return;
    }
    if (raw) {
      problems.add(map, [...at, 'sli', 'raw'], `SLO ${s.name}: a raw error-ratio query cannot be mapped: our SLIs count bad and total events, and a ratio alone cannot be traffic-weighted over long windows; rewrite it as \`events\` with error_query and total_query`);
      return;
    }
    if (plugin) {
      problems.add(map, [...at, 'sli', 'plugin'], `SLO ${s.name}: SLI plugin \`${plugin.id}\` cannot be mapped: its query is built by Sloth at generation time; rewrite it as \`events\``);
      return;
    }
    const errors = slothEventsSelector(events!.error_query);
    const total = slothEventsSelector(events!.total_query);
    if (!errors.ok) problems.add(map, [...at, 'sli', 'events', 'error_query'], `SLO ${s.name}: cannot map error_query onto a ratio of selectors: ${errors.reason}`);
    if (!total.ok) problems.add(map, [...at, 'sli', 'events', 'total_query'], `SLO ${s.name}: cannot map total_query onto a ratio of selectors: ${total.reason}`);
    if (!errors.ok || !total.ok) return;
    if (errors.value.fn !== total.value.fn) {
      problems.add(map, [...at, 'sli', 'events'], `SLO ${s.name}: error_query uses ${errors.value.fn}() and total_query ${total.value.fn}(); both must use the same function for the ratio to hold`);
      return;
    }
    const slo: SpecInput['slos'][number] = {
      name: s.name,
      objective: s.objective,
      window: SLOTH_DEFAULT_WINDOW,
      ...(s.description ? { description: s.description } : {}),
      sli: { ratio: { errors: errors.value.selector, total: total.value.selector } },
      alerting: { page: s.alerting?.page_alert?.disable !== true, ticket: s.alerting?.ticket_alert?.disable !== true },
      ...(s.labels ? { labels: s.labels } : {}),
    };
    disableImpossibleTiers(slo, notes);
    slos.push(slo);
    const a = s.alerting;
    if (a?.name) notes.push(`SLO ${s.name}: alert name ${a.name} not carried over: every burn-rate alert is named ErrorBudgetBurn, told apart by its service and slo labels`);
    if (a?.labels) notes.push(`SLO ${s.name}: alert labels ${JSON.stringify(a.labels)} not carried over: add them to the SLO's labels if rules should carry them`);
    if (a?.annotations) notes.push(`SLO ${s.name}: alert annotations (${Object.keys(a.annotations).join(', ')}) not carried over: our alerts get summary, description and runbook_url from the generator`);
    for (const [tier, level] of [['page_alert', a?.page_alert], ['ticket_alert', a?.ticket_alert]] as const) {
      if (level?.labels) notes.push(`SLO ${s.name}: ${tier} labels ${JSON.stringify(level.labels)} not carried over: our pages are severity critical and tickets severity warning, routed by \`routing\``);
      if (level?.annotations) notes.push(`SLO ${s.name}: ${tier} annotations (${Object.keys(level.annotations).join(', ')}) not carried over`);
    }
    if (s.plugins !== undefined) notes.push(`SLO ${s.name}: Sloth SLO plugins not carried over`);
  });
  problems.throwIfAny();
  if (sloth.slo_plugins !== undefined) notes.push('slo_plugins: Sloth plugins not carried over');
  notes.push(`window: Sloth specs have none; every SLO gets ${SLOTH_DEFAULT_WINDOW}, Sloth's default period`);
  const externalMetrics = externalMetricsFor(slos, `${sloth.service} (imported from Sloth)`);
  if (externalMetrics.length > 0) notes.push(`externalMetrics: declared ${externalMetrics.map((m) => `${m.name} (${m.type})`).join(', ')}, which the Digital Twin app does not export`);
  notes.push(DEFAULT_ROUTING_NOTE.replace('<service>', sloth.service));
  const ours: SpecInput = {
    service: sloth.service,
    ...(sloth.labels ? { labels: sloth.labels } : {}),
    ...(externalMetrics.length ? { externalMetrics } : {}),
    slos,
    routing: defaultRouting(sloth.service),
  };
  const yaml = specYaml(ours, `Imported from the Sloth spec ${file} by \`slo import --from sloth\`.\nWindows and routing were filled in; read the notes the import printed.`);
  const spec = proveLoads(yaml, (path) => {
    if (path[0] === 'service' || path[0] === 'labels') return { map, path: [...prefix, ...path] };
    if (path[0] === 'slos' && typeof path[1] === 'number') {
      const field = path[2];
      const kept = field === 'name' || field === 'objective' || field === 'description' || field === 'labels';
      return { map, path: [...prefix, 'slos', path[1], ...(kept ? path.slice(2) : field === 'sli' ? ['sli'] : [])] };
    }
    return undefined;
  });
  return { yaml, spec, notes };
}
