// Concrete series for promtool tests: label sets that a selector matches (or must not), and counter values.
import type { LabelMatcher, Selector } from '../promql';

function fullMatch(regex: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${regex})$`).test(value);
  } catch {
    return false;
  }
}

function satisfies(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=': return value === m.value;
    case '!=': return value !== m.value;
    case '=~': return fullMatch(m.value, value);
    case '!~': return !fullMatch(m.value, value);
  }
}

/** Strings a regex probably matches: its first alternative with classes and wildcards filled in. */
function regexExamples(regex: string): string[] {
  const first = regex.split('|')[0].replace(/^\^|\$$/g, '').replace(/[()]/g, '');
  const filled = first
    .replace(/\\d/g, '0')
    .replace(/\[([^\]])[^\]]*\]/g, '$1')
    .replace(/\.(\*|\+|\?)?/g, '0')
    .replace(/(.)[*+?]/g, '$1')
    .replace(/\\(.)/g, '$1');
  return [filled, first, '500', '200', 'x'];
}

const FILLERS = ['200', '500', 'x', 'other', '0', 'a'];

/**
 * Finds a value for `name` that satisfies every matcher in `must` and, if `mustNot` is given, fails it.
 * Returns undefined when none of the candidates works.
 */
function valueFor(name: string, must: LabelMatcher[], mustNot?: LabelMatcher): string | undefined {
  const candidates = new Set<string>();
  for (const m of [...must, ...(mustNot ? [mustNot] : [])]) {
    if (m.op === '=') candidates.add(m.value);
    if (m.op === '=~') regexExamples(m.value).forEach((c) => candidates.add(c));
  }
  FILLERS.forEach((f) => candidates.add(f));
  for (const c of candidates) {
    if (c === '' && must.length === 0) continue;
    if (must.every((m) => satisfies(m, c)) && (!mustNot || !satisfies(mustNot, c))) return c;
  }
  return undefined;
}

export type LabelSet = Record<string, string>;

/**
 * A label set matched by all `selectors` (same metric) and, with `exclude`, not matched by it.
 * Throws when it cannot find one, naming the selectors.
 */
export function seriesMatching(selectors: Selector[], exclude?: Selector): LabelSet {
  const all = selectors.flatMap((s) => s.labelMatchers);
  const names = new Set(all.map((m) => m.name));
  const excluded = exclude?.labelMatchers ?? [];
  excluded.forEach((m) => names.add(m.name));
  const labels: LabelSet = {};
  // Pick one label of the excluded selector to violate; every other label only has to satisfy.
  const attempts = exclude ? excluded.map((m) => m.name) : [undefined];
  for (const violate of attempts) {
    let ok = true;
    for (const name of names) {
      const must = all.filter((m) => m.name === name);
      const not = name === violate ? excluded.find((m) => m.name === name) : undefined;
      const value = valueFor(name, must, not);
      if (value === undefined) { ok = false; break; }
      if (value !== '') labels[name] = value;
    }
    if (ok) return labels;
  }
  const what = selectors.map((s) => `${s.metric}{${s.matchers}}`).join(' and ');
  throw new Error(`cannot build a test series for ${what}${exclude ? ` that ${exclude.metric}{${exclude.matchers}} does not match` : ''}`);
}

export function seriesText(metric: string, labels: LabelSet): string {
  const body = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
  return `${metric}{${body}}`;
}

export interface Segment {
  /** Increase per input interval. */
  perStep: number;
  steps: number;
}

/** promtool's expanding notation for a counter growing piecewise linearly from 0. */
export function counterValues(segments: Segment[]): string {
  const parts: string[] = [];
  let value = 0;
  segments.forEach((seg, i) => {
    const perStep = round(seg.perStep);
    if (i === 0) {
      parts.push(`0+${perStep}x${seg.steps}`);
      value = perStep * seg.steps;
    } else {
      value = round(value + perStep);
      parts.push(`${value}+${perStep}x${seg.steps - 1}`);
      value = round(value + perStep * (seg.steps - 1));
    }
  });
  return parts.join(' ');
}

function round(x: number): number {
  return Number.parseFloat(x.toFixed(6));
}
