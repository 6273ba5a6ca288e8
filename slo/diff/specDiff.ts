// What a spec change means, in the spec's own terms: SLOs and alerts added, removed, renamed or changed,
// error budgets before and after, and which receivers each severity reaches.
import { isDeepStrictEqual } from 'node:util';
import { receiverName } from '../alertmanager/config';
import { errorBudgetSeconds, humanDuration, parseDuration } from '../duration';
import type { Route, Sli, Slo, Spec, ThresholdAlert } from '../schema';

export type Subject = 'service' | 'slo' | 'alert' | 'routing' | 'spec';
export type ChangeKind = 'added' | 'removed' | 'renamed' | 'changed';

export interface Change {
  service: string;
  subject: Subject;
  /** SLO or alert name, the severity for routing, the field for spec-wide settings; the new name after a rename. */
  name: string;
  kind: ChangeKind;
  /** The field that changed (`objective`, `sli.ratio.errors`, `expr`, `receivers`), for `changed`. */
  field?: string;
  before?: string;
  after?: string;
  /** What it means, for people: the error budget as time, receivers gained and lost. */
  detail?: string;
}

/** `43 min 12 s per 30d` */
export function budgetText(objective: number, window: string): string {
  return `${humanDuration(errorBudgetSeconds(objective, parseDuration(window)))} per ${window}`;
}

const show = (value: unknown): string => {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(' + ');
  return JSON.stringify(value);
};

function field(service: string, subject: Subject, name: string, fieldName: string, before: unknown, after: unknown, detail?: string): Change {
  return { service, subject, name, kind: 'changed', field: fieldName, before: show(before), after: show(after), ...(detail ? { detail } : {}) };
}

function sliText(sli: Sli): string {
  if (sli.latency) return `latency: ${sli.latency.histogram} <= ${sli.latency.threshold} s`;
  const r = sli.ratio!;
  return r.errors !== undefined ? `ratio: errors ${show(r.errors)} / total ${show(r.total)}` : `ratio: good ${show(r.good)} / total ${show(r.total)}`;
}

function sliChanges(service: string, name: string, before: Sli, after: Sli): Change[] {
  if (before.latency && after.latency) {
    const out: Change[] = [];
    if (before.latency.histogram !== after.latency.histogram) out.push(field(service, 'slo', name, 'sli.latency.histogram', before.latency.histogram, after.latency.histogram));
    if (before.latency.threshold !== after.latency.threshold) {
      out.push(field(service, 'slo', name, 'sli.latency.threshold', `${before.latency.threshold} s`, `${after.latency.threshold} s`,
        after.latency.threshold > before.latency.threshold ? 'looser: slower requests now count as good' : 'stricter: fewer requests count as good'));
    }
    return out;
  }
  if (before.ratio && after.ratio) {
    const out: Change[] = [];
    for (const key of ['errors', 'good', 'total'] as const) {
      if (!isDeepStrictEqual(before.ratio[key], after.ratio[key])) out.push(field(service, 'slo', name, `sli.ratio.${key}`, before.ratio[key], after.ratio[key]));
    }
    return out;
  }
  return [field(service, 'slo', name, 'sli', sliText(before), sliText(after), 'the SLI changed kind')];
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

function sloChanges(service: string, before: Slo, after: Slo): Change[] {
  const name = after.name;
  const out: Change[] = [];
  if (before.objective !== after.objective) {
    out.push(field(service, 'slo', name, 'objective', `${before.objective}%`, `${after.objective}%`,
      `error budget ${budgetText(before.objective, before.window)} → ${budgetText(after.objective, after.window)}`));
  }
  if (before.window !== after.window) {
    out.push(field(service, 'slo', name, 'window', before.window, after.window,
      `error budget ${budgetText(before.objective, before.window)} → ${budgetText(after.objective, after.window)}`));
  }
  out.push(...sliChanges(service, name, before.sli, after.sli));
  if (before.alerting.page !== after.alerting.page) {
    out.push(field(service, 'slo', name, 'alerting.page', onOff(before.alerting.page), onOff(after.alerting.page),
      after.alerting.page ? 'fast burns now page (severity critical)' : 'fast burns no longer page (severity critical)'));
  }
  if (before.alerting.ticket !== after.alerting.ticket) {
    out.push(field(service, 'slo', name, 'alerting.ticket', onOff(before.alerting.ticket), onOff(after.alerting.ticket),
      after.alerting.ticket ? 'slow burns now open tickets (severity warning)' : 'slow burns no longer open tickets (severity warning)'));
  }
  if (before.alerting.minEvents !== after.alerting.minEvents) out.push(field(service, 'slo', name, 'alerting.minEvents', before.alerting.minEvents, after.alerting.minEvents));
  if (before.description !== after.description) out.push(field(service, 'slo', name, 'description', before.description, after.description));
  if (!isDeepStrictEqual(before.labels ?? {}, after.labels ?? {})) out.push(field(service, 'slo', name, 'labels', before.labels ?? {}, after.labels ?? {}));
  return out;
}

function alertChanges(service: string, before: ThresholdAlert, after: ThresholdAlert): Change[] {
  const out: Change[] = [];
  for (const key of ['expr', 'for', 'severity', 'summary', 'description', 'runbook'] as const) {
    if (before[key] !== after[key]) out.push(field(service, 'alert', after.name, key, before[key], after[key]));
  }
  if (!isDeepStrictEqual(before.labels ?? {}, after.labels ?? {})) out.push(field(service, 'alert', after.name, 'labels', before.labels ?? {}, after.labels ?? {}));
  return out;
}

/**
 * Pairs items by name; among the unpaired, a removed and an added item that `same` says are one thing
 * under a new name are a rename. Returns pairs (before, after), then the truly removed and added.
 */
function pairUp<T extends { name: string }>(before: readonly T[], after: readonly T[], same: (a: T, b: T) => boolean) {
  const afterByName = new Map(after.map((x) => [x.name, x]));
  const beforeNames = new Set(before.map((x) => x.name));
  const pairs: Array<[T, T]> = [];
  const removed: T[] = [];
  for (const b of before) {
    const a = afterByName.get(b.name);
    if (a) pairs.push([b, a]);
    else removed.push(b);
  }
  const added = after.filter((a) => !beforeNames.has(a.name));
  const renamed: Array<[T, T]> = [];
  for (const r of [...removed]) {
    const match = added.find((a) => same(r, a));
    if (!match) continue;
    renamed.push([r, match]);
    removed.splice(removed.indexOf(r), 1);
    added.splice(added.indexOf(match), 1);
  }
  return { pairs, renamed, removed, added };
}

function receiversOf(route: Route | undefined): string[] {
  return route ? route.receivers.map(receiverName) : [];
}

function routingChanges(service: string, before: readonly Route[], after: readonly Route[]): Change[] {
  const out: Change[] = [];
  const severities = [...new Set([...before, ...after].map((r) => r.severity))];
  for (const severity of severities) {
    const b = before.find((r) => r.severity === severity);
    const a = after.find((r) => r.severity === severity);
    const from = receiversOf(b);
    const to = receiversOf(a);
    if (!isDeepStrictEqual(from, to)) {
      const gained = to.filter((r) => !from.includes(r));
      const lost = from.filter((r) => !to.includes(r));
      const parts = [
        ...(gained.length ? [`now also reach ${gained.join(', ')}`] : []),
        ...(lost.length ? [`no longer reach ${lost.join(', ')}`] : []),
      ];
      const kind: ChangeKind = !b ? 'added' : !a ? 'removed' : 'changed';
      out.push({
        service, subject: 'routing', name: severity, kind, field: 'receivers',
        before: from.length ? from.join(', ') : '(no route)', after: to.length ? to.join(', ') : '(no route)',
        detail: `${severity} alerts ${parts.length ? parts.join('; ') : 'reach the same receivers in a new order'}`,
      });
    }
    for (const key of ['groupWait', 'groupInterval', 'repeatInterval'] as const) {
      if (a && b && a[key] !== b[key]) out.push(field(service, 'routing', severity, key, b[key], a[key]));
    }
  }
  return out;
}

/** Every change from one spec of a service to the next. */
export function diffSpec(before: Spec, after: Spec): Change[] {
  const service = after.service;
  const out: Change[] = [];
  for (const key of ['labels', 'runbook', 'links', 'externalMetrics'] as const) {
    if (!isDeepStrictEqual(before[key] ?? null, after[key] ?? null)) out.push(field(service, 'spec', key, key, before[key], after[key]));
  }
  const slos = pairUp(before.slos, after.slos, (a, b) => isDeepStrictEqual(a.sli, b.sli) && a.objective === b.objective);
  for (const s of slos.removed) out.push({ service, subject: 'slo', name: s.name, kind: 'removed', detail: `${s.objective}% over ${s.window} (${sliText(s.sli)})` });
  for (const s of slos.added) {
    out.push({ service, subject: 'slo', name: s.name, kind: 'added', detail: `${s.objective}% over ${s.window}, error budget ${budgetText(s.objective, s.window)} (${sliText(s.sli)})` });
  }
  for (const [b, a] of slos.renamed) {
    out.push({ service, subject: 'slo', name: a.name, kind: 'renamed', before: b.name, after: a.name, detail: 'same SLI and objective' });
    out.push(...sloChanges(service, b, a));
  }
  for (const [b, a] of slos.pairs) out.push(...sloChanges(service, b, a));

  const alerts = pairUp(before.alerts, after.alerts, (a, b) => a.expr === b.expr && a.for === b.for && a.severity === b.severity);
  for (const x of alerts.removed) out.push({ service, subject: 'alert', name: x.name, kind: 'removed', detail: `${x.severity}: ${x.summary}` });
  for (const x of alerts.added) out.push({ service, subject: 'alert', name: x.name, kind: 'added', detail: `${x.severity}: ${x.expr} for ${x.for}` });
  for (const [b, a] of alerts.renamed) {
    out.push({ service, subject: 'alert', name: a.name, kind: 'renamed', before: b.name, after: a.name, detail: 'same expression, duration and severity' });
    out.push(...alertChanges(service, b, a));
  }
  for (const [b, a] of alerts.pairs) out.push(...alertChanges(service, b, a));
  out.push(...routingChanges(service, before.routing, after.routing));
  return out;
}

/** Changes across every service: specs are paired by service name; a service on one side only is added or removed whole. */
export function diffSpecs(before: readonly Spec[], after: readonly Spec[]): Change[] {
  const out: Change[] = [];
  const afterByService = new Map(after.map((s) => [s.service, s]));
  const beforeServices = new Set(before.map((s) => s.service));
  for (const b of before) {
    const a = afterByService.get(b.service);
    if (a) out.push(...diffSpec(b, a));
    else out.push({ service: b.service, subject: 'service', name: b.service, kind: 'removed', detail: `${b.slos.length} SLOs, ${b.alerts.length} alerts` });
  }
  for (const a of after) {
    if (beforeServices.has(a.service)) continue;
    out.push({ service: a.service, subject: 'service', name: a.service, kind: 'added', detail: `${a.slos.length} SLOs, ${a.alerts.length} alerts` });
    for (const s of a.slos) {
      out.push({ service: a.service, subject: 'slo', name: s.name, kind: 'added', detail: `${s.objective}% over ${s.window}, error budget ${budgetText(s.objective, s.window)} (${sliText(s.sli)})` });
    }
  }
  return out;
}
