// Recording rules of one SLO: base-window rates, long windows averaged from them, ratios, burn rates, budget.
import { formatDuration, parseDuration } from '../duration';
import type { Slo, Spec } from '../schema';
import { BASE_WINDOW, recorded } from './names';
import { sliExpressions } from './sli';
import { recordedWindows, TILE_THRESHOLD_SECONDS, tidy, tileRange } from './windows';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

/** Labels on every series of this SLO: the spec's, the SLO's, then service and slo (which win). */
export function sloLabels(spec: Spec, slo: Slo): Record<string, string> {
  return { ...spec.labels, ...slo.labels, service: spec.service, slo: slo.name };
}

/** The selector that picks one SLO's recorded series. */
export function sloSelector(spec: Spec, slo: Slo): string {
  return `{service="${spec.service}",slo="${slo.name}"}`;
}

/**
 * A window's average rate. Up to 6h it averages the 5m series directly (at most 720 samples at 30s);
 * longer windows average hourly tiles of the 1h series through a 1h-step subquery, so a 30d window reads
 * 720 points instead of 86,400. Averaging both the numerator and the denominator over the same samples
 * keeps the ratio traffic-weighted: sum of errors over sum of events.
 *
 * Before a fresh Prometheus crosses its first clock hour there is no tile. The SLO window then falls
 * back to the last hour, so the budget shows from the start; the 1d and 3d alert windows stay empty
 * rather than judge three days by a few cold-cache minutes.
 */
function windowAverage(series: (w: string) => string, window: string, sel: string, sloWindow: string): string {
  const seconds = parseDuration(window);
  if (seconds <= TILE_THRESHOLD_SECONDS) return `avg_over_time(${series(BASE_WINDOW)}${sel}[${window}])`;
  const tiles = `avg_over_time(${series('1h')}${sel}[${tileRange(window)}])`;
  return window === sloWindow ? `${tiles} or ${series('1h')}${sel}` : tiles;
}

export function recordingRules(spec: Spec, slo: Slo): RecordingRule[] {
  const labels = sloLabels(spec, slo);
  const sel = sloSelector(spec, slo);
  const sli = sliExpressions(slo);
  const budget = tidy(1 - slo.objective / 100);
  const sloWindow = formatDuration(parseDuration(slo.window));
  const windows = recordedWindows(slo);
  const rule = (record: string, expr: string): RecordingRule => ({ record, expr, labels });

  const rules: RecordingRule[] = [
    rule(recorded.totalRate(BASE_WINDOW), sli.total),
    rule(recorded.errorsRate(BASE_WINDOW), sli.errors),
  ];
  for (const w of windows.filter((x) => x !== BASE_WINDOW)) {
    rules.push(rule(recorded.totalRate(w), windowAverage(recorded.totalRate, w, sel, sloWindow)));
    rules.push(rule(recorded.errorsRate(w), windowAverage(recorded.errorsRate, w, sel, sloWindow)));
  }
  for (const w of windows) {
    // `> 0` drops windows without traffic: no events means no SLI, not a perfect one.
    rules.push(rule(recorded.errorRatio(w), `${recorded.errorsRate(w)}${sel} / (${recorded.totalRate(w)}${sel} > 0)`));
  }
  for (const w of windows) {
    rules.push(rule(recorded.burnRate(w), `${recorded.errorRatio(w)}${sel} / ${budget}`));
  }
  rules.push(
    rule(recorded.objective, `vector(${tidy(slo.objective / 100)})`),
    rule(recorded.errorBudget, `vector(${budget})`),
    rule(recorded.windowSeconds, `vector(${parseDuration(slo.window)})`),
    // Burning at 1x over the whole window spends exactly the budget, so what is left is 1 - that burn.
    rule(recorded.errorBudgetRemaining, `1 - ${recorded.burnRate(sloWindow)}${sel}`),
  );
  return rules;
}
