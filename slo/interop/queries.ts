// Foreign PromQL queries mapped onto the selectors our ratio SLIs take, and back: only forms whose meaning
// is exactly "the rate of these counters, summed" are accepted, so an import never changes what is measured.
import { parseSelector, type LabelMatcher, type Selector } from '../promql';

export type Mapped<T> = { ok: true; value: T } | { ok: false; reason: string };

const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;

/** `sum(rate(SELECTOR[W]))` or `sum(increase(SELECTOR[W]))`, any whitespace; W is checked by the caller. */
const SUMMED_RATE = /^\s*sum\s*\(\s*(rate|increase)\s*\(\s*([\s\S]*?)\s*\[\s*([^\]]*?)\s*\]\s*\)\s*\)\s*$/;

export interface SummedRate {
  fn: 'rate' | 'increase';
  selector: string;
  range: string;
}

function summedRate(query: string): Mapped<SummedRate> {
  if (/^\s*sum\s*(by|without)\b/.test(query) || /\)\s*(by|without)\s*\(/.test(query)) {
    return { ok: false, reason: 'it aggregates `by`/`without` labels, which splits the SLI into one per group; ours is one SLI per SLO, summed over all series' };
  }
  const m = SUMMED_RATE.exec(query);
  if (!m) return { ok: false, reason: 'it is not of the form sum(rate(SELECTOR[window]))' };
  const parsed = parseSelector(m[2]);
  if (!parsed.ok) return { ok: false, reason: `the rate's argument \`${m[2].trim()}\` is not a plain selector (${parsed.message})` };
  return { ok: true, value: { fn: m[1] as SummedRate['fn'], selector: m[2].trim(), range: m[3] } };
}

/** A Sloth events query (`sum(rate(SELECTOR[{{.window}}]))`) as the selector it sums. */
export function slothEventsSelector(query: string): Mapped<SummedRate> {
  if (!WINDOW_PLACEHOLDER.test(query)) return { ok: false, reason: 'it does not use {{.window}}, so it cannot be evaluated over the alert windows' };
  const m = summedRate(query);
  if (!m.ok) return { ok: false, reason: m.reason.replace('[window]', '[{{.window}}]') };
  if (!WINDOW_PLACEHOLDER.test(m.value.range) || m.value.range.replace(WINDOW_PLACEHOLDER, '').trim() !== '') {
    return { ok: false, reason: `its range is \`[${m.value.range}]\`; only \`[{{.window}}]\` maps onto our windows` };
  }
  return m;
}

function matcherText(m: LabelMatcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

export function selectorText(metric: string, matchers: readonly LabelMatcher[]): string {
  return matchers.length ? `${metric}{${matchers.map(matcherText).join(',')}}` : metric;
}

/**
 * An OpenSLO Prometheus counter query as our selectors: a plain selector, `{__name__=~"a|b", ...}` (several
 * counters summed, as `slo export` writes lists), or `sum(rate(SELECTOR[range]))`.
 */
export function openSloSelectors(query: string): Mapped<string[]> {
  const text = query.trim();
  if (text.startsWith('{')) {
    const parsed = parseSelector(`x${text}`);
    if (!parsed.ok) return { ok: false, reason: `it is not a selector (${parsed.message})` };
    const byName = parsed.value.labelMatchers.find((m) => m.name === '__name__');
    const rest = parsed.value.labelMatchers.filter((m) => m.name !== '__name__');
    if (!byName || !['=', '=~'].includes(byName.op) || !/^[a-zA-Z_:][a-zA-Z0-9_:]*(\|[a-zA-Z_:][a-zA-Z0-9_:]*)*$/.test(byName.value)) {
      return { ok: false, reason: 'a selector without a metric name must match `__name__` against a list of metric names (`__name__=~"a|b"`)' };
    }
    return { ok: true, value: byName.value.split('|').map((name) => selectorText(name, rest)) };
  }
  const plain = parseSelector(text);
  if (plain.ok) return { ok: true, value: [text] };
  const m = summedRate(text);
  if (!m.ok) {
    const general = m.reason === 'it is not of the form sum(rate(SELECTOR[window]))';
    return { ok: false, reason: general ? 'it is neither a plain counter selector nor of the form sum(rate(SELECTOR[range]))' : m.reason };
  }
  return { ok: true, value: [m.value.selector] };
}

/** Our selectors as one OpenSLO query: the selector itself, or `{__name__=~"a|b",...}` when they differ only by name. */
export function selectorsQuery(selectors: string | string[]): Mapped<string> {
  const list = Array.isArray(selectors) ? selectors : [selectors];
  if (list.length === 1) return { ok: true, value: list[0] };
  const parsed = list.map((s) => parseSelector(s));
  if (parsed.some((p) => !p.ok)) return { ok: false, reason: 'a selector does not parse' };
  const sels = parsed.map((p) => (p as { ok: true; value: Selector }).value);
  const matchers = sels[0].labelMatchers.map(matcherText).sort().join(',');
  if (sels.some((s) => s.labelMatchers.map(matcherText).sort().join(',') !== matchers)) {
    return { ok: false, reason: `the summed selectors ${list.join(', ')} differ in their label matchers, so one OpenSLO query cannot select them all` };
  }
  return { ok: true, value: `{${[`__name__=~"${sels.map((s) => s.metric).join('|')}"`, ...sels[0].labelMatchers.map(matcherText)].join(',')}}` };
}

/** The threshold an `le` matcher selects: `le="1.5"`, or `le=~"3|3\\.0"` as our rules write integer bounds. */
function leThreshold(m: LabelMatcher): number | undefined {
  if (m.op === '=' && /^\d+(\.\d+)?$/.test(m.value)) return Number(m.value);
  const integer = /^(\d+)\|\1\\\.0$/.exec(m.value);
  if (m.op === '=~' && integer) return Number(integer[1]);
  return undefined;
}

/** A ratio of `H_bucket{...,le="N"}` (good) over `H_count{...}` (total) is our latency SLI on histogram H. */
export function latencyFromRatio(good: string[], total: string[]): { histogram: string; threshold: number } | undefined {
  if (good.length !== 1 || total.length !== 1) return undefined;
  const g = parseSelector(good[0]);
  const t = parseSelector(total[0]);
  if (!g.ok || !t.ok) return undefined;
  const bucket = /^(.*)_bucket$/.exec(g.value.metric);
  if (!bucket || t.value.metric !== `${bucket[1]}_count`) return undefined;
  const le = g.value.labelMatchers.filter((m) => m.name === 'le');
  if (le.length !== 1) return undefined;
  const threshold = leThreshold(le[0]);
  if (threshold === undefined || threshold <= 0) return undefined;
  const rest = g.value.labelMatchers.filter((m) => m.name !== 'le').map(matcherText).sort();
  if (rest.join(',') !== t.value.labelMatchers.map(matcherText).sort().join(',')) return undefined;
  return { histogram: selectorText(bucket[1], g.value.labelMatchers.filter((m) => m.name !== 'le')), threshold };
}
