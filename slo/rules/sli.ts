// An SLI as two base-window PromQL expressions: all events per second and bad events per second.
import { parseSelector, selectorWith, type Selector } from '../promql';
import type { Slo } from '../schema';
import { BASE_WINDOW } from './names';

export interface SliExpressions {
  total: string;
  errors: string;
}

function selector(text: string): Selector {
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new Error(`unvalidated selector reached the generator: ${text}`);
  return parsed.value;
}

function rateSum(text: string, window = BASE_WINDOW): string {
  return `sum(rate(${text}[${window}]))`;
}

/**
 * Sums the rates of several selectors. The terms are unioned, each tagged with its position so that
 * series of different metrics with equal labels do not shadow each other, then summed once: the result
 * exists as soon as any term has data (a counter with no sample yet, say no cache miss so far, does not
 * make it vanish) and is absent when none has.
 */
function sumOf(selectors: string | string[]): string {
  const list = Array.isArray(selectors) ? selectors : [selectors];
  if (list.length === 1) return rateSum(list[0]);
  const terms = list.map((s, i) => `label_replace(rate(${s}[${BASE_WINDOW}]), "sli_term", "${i}", "", "")`);
  return `sum(${terms.join(' or ')})`;
}

/**
 * Classic histogram `le` values are written `3` by prom-client and normalised to `3.0` by Prometheus 3;
 * an integer threshold matches both.
 */
export function leMatcher(threshold: number): string {
  return Number.isInteger(threshold) ? `le=~"${threshold}|${threshold}\\\\.0"` : `le="${threshold}"`;
}

export function sliExpressions(slo: Slo): SliExpressions {
  const { ratio, latency } = slo.sli;
  if (latency) {
    const hist = selector(latency.histogram);
    const total = rateSum(selectorWith(hist, `${hist.metric}_count`));
    const good = rateSum(selectorWith(hist, `${hist.metric}_bucket`, leMatcher(latency.threshold)));
    return { total, errors: `${total} - (${good} or vector(0))` };
  }
  if (!ratio) throw new Error(`SLO ${slo.name} has no SLI`);
  const total = sumOf(ratio.total);
  if (ratio.errors !== undefined) {
    // No bad event yet means zero, but only while there is traffic at all (so averages stay aligned).
    return { total, errors: `(${sumOf(ratio.errors)}) or (0 * (${total}))` };
  }
  return { total, errors: `(${total}) - ((${sumOf(ratio.good!)}) or vector(0))` };
}
