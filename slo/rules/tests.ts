// promtool unit tests for the generated rules: each tier fires in time, just-under fires nothing, a trickle never pages.
import { parseDuration } from '../duration';
import { parseSelector, type Selector } from '../promql';
import type { Slo, Spec } from '../schema';
import type { StackConfig } from '../stack';
import { BURN_ALERT } from './names';
import { counterValues, seriesMatching, seriesText, type LabelSet } from './testSeries';
import { burnWindows, tidy, type BurnWindow } from './windows';

export interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number }>;
}

export interface RuleTest {
  name: string;
  interval: string;
  input_series: Array<{ series: string; values: string }>;
  promql_expr_test: PromqlExprTest[];
}

export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: RuleTest[];
}

/** The promtool test files of one service, by path under the output folder. */
export interface RuleTestSuite {
  /** Page tiers and the low-traffic guard, evaluated every minute like production. */
  fast: RuleTestFile;
  /**
   * Ticket tiers and the just-under case simulate four days or more; evaluated every 5 minutes they take
   * promtool about two minutes instead of eleven. The rules are the same file either way.
   */
  slowBurn: RuleTestFile;
}

/** Evaluation interval of the slow-burn test file. */
export const SLOW_BURN_EVALUATION = '5m';

/** Events per minute in every scenario but the trickle: 10 requests per second. */
const EVENTS_PER_MINUTE = 600;

/** A phase of traffic: good and bad events per minute for some minutes. */
interface Phase {
  good: number;
  bad: number;
  minutes: number;
}

/** How good and bad events become input series for one SLO's SLI. */
interface Feed {
  series: string;
  /** Increase per minute of this series given good and bad events per minute. */
  perMinute: (good: number, bad: number) => number;
}

function sel(text: string): Selector {
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new Error(`unvalidated selector: ${text}`);
  return parsed.value;
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** Chooses concrete series so that `good` good events and `bad` bad events per minute reach the SLI. */
function feeds(slo: Slo): Feed[] {
  const { ratio, latency } = slo.sli;
  if (latency) {
    const hist = sel(latency.histogram);
    const labels = seriesMatching([hist]);
    return [
      { series: seriesText(`${hist.metric}_count`, labels), perMinute: (g, b) => g + b },
      { series: seriesText(`${hist.metric}_bucket`, { ...labels, le: String(latency.threshold) }), perMinute: (g) => g },
      { series: seriesText(`${hist.metric}_bucket`, { ...labels, le: '+Inf' }), perMinute: (g, b) => g + b },
    ];
  }
  const totals = list(ratio!.total).map(sel);
  const marked = ratio!.errors !== undefined ? list(ratio!.errors).map(sel) : list(ratio!.good!).map(sel);
  const markedAreBad = ratio!.errors !== undefined;
  const first = marked[0];
  const sameMetricTotal = totals.find((t) => t.metric === first.metric);
  // Events the `errors`/`good` selector counts.
  const markedLabels: LabelSet = seriesMatching(sameMetricTotal ? [first, sameMetricTotal] : [first]);
  const markedFeed: Feed = {
    series: seriesText(first.metric, markedLabels),
    perMinute: (g, b) => (markedAreBad ? b : g),
  };
  // The other events: in a total but not in the marked selector.
  let other: Feed | undefined;
  for (const t of totals) {
    try {
      const labels = t.metric === first.metric ? seriesMatching([t], first) : seriesMatching([t]);
      other = { series: seriesText(t.metric, labels), perMinute: (g, b) => (markedAreBad ? g : b) };
      break;
    } catch {
      // this total cannot hold the other events; try the next one
    }
  }
  if (!other) throw new Error(`SLO ${slo.name}: no total selector can count events outside ${first.metric}{${first.matchers}}`);
  const feedsList = [markedFeed, other];
  // When errors and total are different metrics, the total series must count the bad events too.
  if (markedAreBad && !sameMetricTotal) feedsList[1] = { series: other.series, perMinute: (g, b) => g + b };
  return feedsList;
}

function inputSeries(slo: Slo, phases: Phase[]): RuleTest['input_series'] {
  return feeds(slo).map((f) => ({
    series: f.series,
    values: counterValues(phases.map((p) => ({ perStep: f.perMinute(p.good, p.bad), steps: p.minutes }))),
  }));
}

function minutes(duration: string): number {
  return Math.round(parseDuration(duration) / 60);
}

function alertSelector(spec: Spec, slo: Slo, extra: Record<string, string> = {}): string {
  const labels = { alertname: BURN_ALERT, alertstate: 'firing', service: spec.service, slo: slo.name, ...extra };
  return `ALERTS{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

const fires = (expr: string, at: number): PromqlExprTest => ({ expr: `count(${expr})`, eval_time: `${at}m`, exp_samples: [{ labels: '{}', value: 1 }] });
const silent = (expr: string, at: number): PromqlExprTest => ({ expr, eval_time: `${at}m`, exp_samples: [] });

/**
 * A healthy stretch as long as the long window, then errors at twice the tier's threshold, so the long
 * window crosses the threshold after half its length. The alert must be silent halfway to that point
 * and firing once the crossing, its `for:` and a slack for window edges have passed.
 */
function tierFires(spec: Spec, slo: Slo, w: BurnWindow): RuleTest {
  const budget = 1 - slo.objective / 100;
  const threshold = w.factor * budget;
  const errorRatio = Math.min(2 * threshold, (1 + threshold) / 2);
  const long = minutes(w.longWindow);
  const detection = Math.ceil((long * threshold) / errorRatio);
  // Windows over 6h average hourly tiles, which trail by up to an hour.
  const slack = parseDuration(w.longWindow) > 6 * 3600 ? 120 : w.tier === 'page' ? 10 : 20;
  const fireAt = long + detection + minutes(w.for) + slack;
  const bad = tidy(EVENTS_PER_MINUTE * errorRatio);
  const expr = alertSelector(spec, slo, { long_window: w.longWindow, short_window: w.shortWindow });
  return {
    name: `${slo.name}: errors at ${tidy(errorRatio / budget)}x budget fire the ${w.longWindow}/${w.shortWindow} ${w.tier} alert within ${detection + minutes(w.for) + slack}m`,
    interval: '1m',
    input_series: inputSeries(slo, [
      { good: EVENTS_PER_MINUTE, bad: 0, minutes: long },
      { good: EVENTS_PER_MINUTE - bad, bad, minutes: detection + minutes(w.for) + slack + 1 },
    ]),
    promql_expr_test: [silent(expr, long + Math.floor(detection / 2)), fires(expr, fireAt)],
  };
}

/**
 * Errors at 90% of the lowest enabled threshold from the first sample on: nothing fires. Window averages
 * cover only the samples present, so every window, up to 3d, reads the same 0.9x from the first hourly
 * tile on; running past the longest `for:` plus a few tiles is enough, not the whole window.
 */
function justUnder(spec: Spec, slo: Slo, windows: BurnWindow[]): RuleTest {
  const budget = 1 - slo.objective / 100;
  const lowest = Math.min(...windows.map((w) => w.factor));
  const errorRatio = 0.9 * lowest * budget;
  const total = Math.max(...windows.map((w) => minutes(w.for))) + 6 * 60;
  const bad = tidy(EVENTS_PER_MINUTE * errorRatio);
  return {
    name: `${slo.name}: errors at 90% of the ${lowest}x threshold fire nothing`,
    interval: '1m',
    input_series: inputSeries(slo, [{ good: EVENTS_PER_MINUTE - bad, bad, minutes: total }]),
    promql_expr_test: [silent(alertSelector(spec, slo), total)],
  };
}

/** A trickle of failing requests (6 an hour, all failing, for 2h) stays under minEvents: no page. */
function trickleDoesNotPage(spec: Spec, slo: Slo): RuleTest {
  const expr = alertSelector(spec, slo, { severity: 'critical' });
  return {
    name: `${slo.name}: 12 failing requests in 2h do not page (minEvents ${slo.alerting.minEvents})`,
    interval: '1m',
    input_series: inputSeries(slo, [{ good: 0, bad: 0.1, minutes: 120 }]),
    promql_expr_test: [30, 60, 90, 120].map((t) => silent(expr, t)),
  };
}

export function ruleTests(spec: Spec, _stack: StackConfig): RuleTestSuite {
  const fast: RuleTest[] = [];
  const slowBurn: RuleTest[] = [];
  for (const slo of spec.slos) {
    const windows = burnWindows(slo);
    if (windows.length === 0) continue;
    for (const w of windows) (w.tier === 'page' ? fast : slowBurn).push(tierFires(spec, slo, w));
    slowBurn.push(justUnder(spec, slo, windows));
    if (slo.alerting.page && slo.alerting.minEvents > 12) fast.push(trickleDoesNotPage(spec, slo));
  }
  const file = (tests: RuleTest[], interval: string): RuleTestFile => ({
    rule_files: [`../rules/${spec.service}.rules.yaml`],
    evaluation_interval: interval,
    tests,
  });
  return { fast: file(fast, '1m'), slowBurn: file(slowBurn, SLOW_BURN_EVALUATION) };
}
