// Rule-evaluation cost: our generated SLO rules vs Sloth's for the same SLO, on the same 33 days of data, in a
// real Prometheus. Cost is the samples each rule reads per evaluation (stats=all), which no machine changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { recorded } from '../slo/rules/names';
import { ruleLevels } from './ruleCost/levels';
import { type SeriesData, writeOpenMetrics } from './ruleCost/openMetrics';
import { backfill, BLOCK_DURATION, killStarted, killStartedNow, PrometheusServer } from './ruleCost/prometheus';
import type { InstantSeries, QueryCost } from './ruleCost/queryCost';
import { counterSeries, type EvaluatedRule, ourSystem, type RuleSystem, slothSystem } from './ruleCost/systems';
import { averageOfRatios, STEP_SECONDS, syntheticTraffic, type Traffic, trueErrorRatio } from './ruleCost/traffic';

/** End of the synthetic data and the instant every rule is evaluated at: 2024-01-31T00:00:00Z. */
const END = 1_706_659_200;
const DAYS = 33;
const REPEATS = 5;
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'] as const;
const EVALUATIONS_PER_DAY = 86400 / STEP_SECONDS;
const BUDGET = 0.001;

interface RuleCost {
  system: string;
  rule: EvaluatedRule;
  cost: QueryCost;
  /** Median round trip of the instant query over REPEATS, in milliseconds. */
  wallMs: number;
  /** Median of Prometheus's own evaluation time over REPEATS, in milliseconds. */
  evalMs: number;
  series: InstantSeries[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function costOf(server: PrometheusServer, system: string, rule: EvaluatedRule): Promise<RuleCost> {
  const first = await server.query(rule.expr, END); // warm-up, and the figures that do not vary
  const walls: number[] = [];
  const evals: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const again = await server.query(rule.expr, END);
    walls.push(performance.now() - t0);
    evals.push(again.cost.evalSeconds * 1000);
  }
  const name = rule.record ?? rule.alert;
  if (rule.record && first.series.length === 0) {
    throw new Error(`${system} rule ${name} returned no series at the end of the data: the backfill does not cover what it reads`);
  }
  return { system, rule, cost: first.cost, wallMs: median(walls), evalMs: median(evals), series: first.series };
}

/** What a recording rule's answer would have stored: the answer's labels, overridden by the rule's. */
function storedSeries(c: RuleCost): SeriesData[] {
  const record = c.rule.record!;
  return c.series.map((s) => {
    const { __name__: _, ...labels } = s.labels;
    return { name: record, labels: { ...labels, ...c.rule.labels }, start: END, values: [s.value] };
  });
}

interface Plan {
  system: RuleSystem;
  backfilled: Set<string>;
  levels: number[];
}

/**
 * Costs every rule of every system at END. Rules reading other rules' output go in later passes: their
 * inputs are stored as one sample at END (all an instant selector reads) and Prometheus restarted over them.
 */
async function costPasses(plans: Plan[], work: string, dataDir: string, track: (s?: PrometheusServer) => void): Promise<RuleCost[]> {
  const deepest = Math.max(...plans.flatMap((p) => p.levels));
  const costs: RuleCost[] = [];
  for (let level = 0; level <= deepest; level++) {
    const server = await PrometheusServer.start(dataDir, work);
    track(server);
    if (level === 0) console.log(`Prometheus ${await server.version()} on ${server.url}, every rule evaluated at the end of the data.`);
    const stored: SeriesData[] = [];
    try {
      for (const plan of plans) {
        for (const [i, rule] of plan.system.rules.entries()) {
          if (plan.levels[i] !== level) continue;
          const c = await costOf(server, plan.system.name, rule);
          costs.push(c);
          if (rule.record && !plan.backfilled.has(rule.record)) stored.push(...storedSeries(c));
        }
      }
    } finally {
      await server.stop();
      track(undefined);
    }
    if (level < deepest && stored.length > 0) {
      const file = join(work, `level-${level}.om`);
      writeOpenMetrics(file, stored.sort((a, b) => a.name.localeCompare(b.name)));
      await backfill(file, dataDir);
      rmSync(file);
    }
  }
  return costs;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (r: number): string => `${(r * 100).toFixed(4)}%`;

function sumCosts(costs: readonly RuleCost[]): { samples: number; peak: number; wallMs: number; evalMs: number; rules: number } {
  return {
    samples: costs.reduce((n, c) => n + c.cost.totalQueryableSamples, 0),
    peak: costs.reduce((n, c) => Math.max(n, c.cost.peakSamples), 0),
    wallMs: costs.reduce((n, c) => n + c.wallMs, 0),
    evalMs: costs.reduce((n, c) => n + c.evalMs, 0),
    rules: costs.length,
  };
}

/** Our rules that make window `w`'s error ratio: its two averaged rates and the ratio; Sloth's one ratio rule. */
function windowRules(system: string, w: string): (c: RuleCost) => boolean {
  const names = system === 'ours' ? [recorded.totalRate(w), recorded.errorsRate(w), recorded.errorRatio(w)] : [`slo:sli_error:ratio_rate${w}`];
  return (c) => c.system === system && c.rule.record !== undefined && names.includes(c.rule.record);
}

function valueOf(costs: readonly RuleCost[], system: string, record: string): number {
  const c = costs.find((x) => x.system === system && x.rule.record === record);
  return c?.series[0]?.value ?? Number.NaN;
}

type Totals = ReturnType<typeof sumCosts>;

/** One table row; `rules` says whose rule counts to show beside the samples. */
function costRow(label: string, sloth: Totals, ours: Totals, rules: 'ours' | 'both'): string {
  const slothRules = rules === 'both' ? ` (${sloth.rules})` : '';
  return `| ${label} | ${fmt(sloth.samples)}${slothRules} | ${fmt(ours.samples)} (${ours.rules}) | ${(sloth.samples / ours.samples).toFixed(1)} | ` +
    `${fmt(sloth.peak)} | ${fmt(ours.peak)} | ${sloth.evalMs.toFixed(2)} | ${ours.evalMs.toFixed(2)} |`;
}

function printTables(costs: RuleCost[], traffic: Traffic): void {
  const total = (pick: (c: RuleCost) => boolean): Totals => sumCosts(costs.filter(pick));
  console.log('\n| window | Sloth samples (rules) | ours samples (rules) | Sloth ÷ ours | Sloth peak | ours peak | Sloth eval ms | ours eval ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const inWindow = new Set<RuleCost>();
  for (const w of WINDOWS) {
    const [sloth, ours] = [windowRules('Sloth', w), windowRules('ours', w)];
    costs.filter((c) => sloth(c) || ours(c)).forEach((c) => inWindow.add(c));
    console.log(costRow(w, total(sloth), total(ours), 'ours'));
  }
  const rest = (system: string, alerts: boolean): Totals =>
    total((c) => c.system === system && !inWindow.has(c) && (c.rule.alert !== undefined) === alerts);
  console.log(costRow('burn rates, budget, meta', rest('Sloth', false), rest('ours', false), 'both'));
  console.log(costRow('alert rules', rest('Sloth', true), rest('ours', true), 'both'));
  const sloth = total((c) => c.system === 'Sloth');
  const ours = total((c) => c.system === 'ours');
  console.log(costRow('**per evaluation**', sloth, ours, 'both'));
  const day = (t: Totals): string => `${fmt(t.samples * EVALUATIONS_PER_DAY)}`;
  const daySeconds = (t: Totals): string => `${((t.evalMs * EVALUATIONS_PER_DAY) / 1000).toFixed(1)} s`;
  console.log(`| **per day at ${STEP_SECONDS}s** | ${day(sloth)} | ${day(ours)} | ${(sloth.samples / ours.samples).toFixed(1)} | | | ${daySeconds(sloth)} | ${daySeconds(ours)} |`);
  console.log(`(samples: stats.samples.totalQueryableSamples, read per evaluation at the end of the data; peak: peakSamples; ` +
    `eval ms: median of ${REPEATS} of Prometheus's evalTotalTime, summed over the row's rules. ` +
    `Median HTTP round trip per evaluation of all rules on loopback: Sloth ${sloth.wallMs.toFixed(0)} ms, ours ${ours.wallMs.toFixed(0)} ms)`);
  console.log('\nError ratio at the end of the data, per window (true = errors / requests from the raw counters):');
  console.log('| window | true | ours | Sloth |');
  console.log('|---|---:|---:|---:|');
  for (const w of WINDOWS) {
    const seconds = { m: 60, h: 3600, d: 86400 }[w.slice(-1) as 'm' | 'h' | 'd'] * Number(w.slice(0, -1));
    console.log(`| ${w} | ${pct(trueErrorRatio(traffic, seconds))} | ${pct(valueOf(costs, 'ours', recorded.errorRatio(w)))} | ${pct(valueOf(costs, 'Sloth', `slo:sli_error:ratio_rate${w}`))} |`);
  }
  const truth = trueErrorRatio(traffic, 30 * 86400);
  const our30d = valueOf(costs, 'ours', recorded.errorRatio('30d'));
  const sloth30d = valueOf(costs, 'Sloth', 'slo:sli_error:ratio_rate30d');
  console.log(`30d: true ${pct(truth)} (budget burn ${(truth / BUDGET).toFixed(2)}x); ours ${pct(our30d)} (${(our30d / BUDGET).toFixed(2)}x, traffic-weighted); ` +
    `Sloth ${pct(sloth30d)} (${(sloth30d / BUDGET).toFixed(2)}x: the average of 5m ratios, ${pct(averageOfRatios(traffic, 30 * 86400))} computed offline)`);
}

/** Rules reading their own history: the recorded series we backfilled must equal what the rule computes at END. */
function printConsistency(costs: readonly RuleCost[], histories: ReadonlyMap<string, SeriesData[]>): void {
  const diffs: string[] = [];
  for (const [system, series] of histories) {
    for (const s of series) {
      const computed = valueOf(costs, system, s.name);
      const stored = s.values[s.values.length - 1];
      diffs.push(`${system} ${s.name} ${((Math.abs(computed - stored) / Math.abs(stored)) * 100).toExponential(1)}%`);
    }
  }
  console.log(`Backfilled history vs the rule evaluated at the end (relative difference): ${diffs.join('; ')}`);
}

export async function benchRuleCost(): Promise<void> {
  console.log('\n## Rule evaluation cost: our SLO rules vs Sloth v0.16, same SLO, same data, in a real Prometheus');
  const work = mkdtempSync(join(tmpdir(), 'slo-rule-cost-'));
  const dataDir = join(work, 'data');
  let running: PrometheusServer | undefined;
  const cleanUp = (): void => {
    killStartedNow();
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  };
  // On Ctrl-C: stop Prometheus and promtool first (so nothing writes into the directory), delete it, then die of the signal.
  const onSignal = (signal: NodeJS.Signals): void => {
    void killStarted().finally(() => {
      rmSync(work, { recursive: true, force: true, maxRetries: 3 });
      process.removeListener('exit', cleanUp);
      process.kill(process.pid, signal);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', cleanUp);
  try {
    const started = performance.now();
    const traffic = syntheticTraffic(END, DAYS);
    const systems = [slothSystem(), ourSystem()];
    const histories = new Map(systems.map((s) => [s.name, s.history(traffic)]));
    const file = join(work, 'history.om');
    const written = writeOpenMetrics(file, [...counterSeries(traffic), ...[...histories.values()].flat()]);
    console.log(
      `Data: ${DAYS} days at ${STEP_SECONDS}s ending ${new Date(END * 1000).toISOString()}: ${written.series} series ` +
      `(6 request counters, ${histories.get('ours')!.length} of our recorded rates, ${histories.get('Sloth')!.length} of Sloth's 5m ratio), ` +
      `${fmt(written.samples)} samples, ${(written.bytes / 1e6).toFixed(0)} MB of OpenMetrics, backfilled in ${BLOCK_DURATION} blocks.`,
    );
    console.log('Traffic: 10x at 12:00-20:00 UTC with a tenth of the off-peak error ratio, so averaging ratios over time overweights the night.');
    await backfill(file, dataDir);
    rmSync(file);

    const plans: Plan[] = systems.map((system) => {
      const backfilled = new Set(histories.get(system.name)!.map((s) => s.name));
      return { system, backfilled, levels: ruleLevels(system.rules, backfilled) };
    });
    const costs = await costPasses(plans, work, dataDir, (s) => { running = s; });
    printTables(costs, traffic);
    printConsistency(costs, histories);
    console.log(`(whole benchmark ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await running?.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('exit', cleanUp);
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRuleCost().catch((e: Error) => {
    console.error(`bench ruleCost: ${e.message}`);
    process.exitCode = 1;
  });
}
