// The rule-cost benchmark's parts that do not depend on timing: the synthetic data, its OpenMetrics file as
// promtool reads it, the stats parser, rule ordering, and the samples a real Prometheus reports reading.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordedNamesIn, ruleLevels } from '../../bench/ruleCost/levels';
import { seriesText, writeOpenMetrics } from '../../bench/ruleCost/openMetrics';
import { backfill, PrometheusServer } from '../../bench/ruleCost/prometheus';
import { parseInstantAnswer } from '../../bench/ruleCost/queryCost';
import { counterSeries, ourSystem, slothSystem } from '../../bench/ruleCost/systems';
import { averageOfRatios, STEP_SECONDS, syntheticTraffic, trueErrorRatio } from '../../bench/ruleCost/traffic';

const END = 1_706_659_200; // 2024-01-31T00:00:00Z
const DAY = 86400;

describe('synthetic traffic', () => {
  const traffic = syntheticTraffic(END, 2);
  const last = traffic.points - 1;

  it('ends at the requested instant with a sample every 30 s, counters never decreasing', () => {
    expect(traffic.start + last * STEP_SECONDS).toBe(END);
    expect(traffic.counters).toHaveLength(6);
    for (const c of traffic.counters) {
      for (let i = 1; i < traffic.points; i++) expect(c.values[i]).toBeGreaterThanOrEqual(c.values[i - 1]);
    }
  });

  it('records the 5m rates as the counters\' increase over 300 s and the 1h rates as the mean of 121 5m rates', () => {
    const i = 2000;
    const increase = traffic.counters.reduce((n, c) => n + c.values[i] - c.values[i - 10], 0);
    expect(traffic.totalRate5m[i]).toBeCloseTo(increase / 300, 10);
    const errors = traffic.counters.filter((c) => c.code !== '200').reduce((n, c) => n + c.values[i] - c.values[i - 10], 0);
    expect(traffic.errorsRate5m[i]).toBeCloseTo(errors / 300, 10);
    let sum = 0;
    for (let k = i - 120; k <= i; k++) sum += traffic.errorsRate5m[k];
    expect(traffic.errorsRate1h[i]).toBeCloseTo(sum / 121, 12);
    expect(Number.isNaN(traffic.totalRate5m[9])).toBe(true);
    expect(Number.isNaN(traffic.totalRate1h[129])).toBe(true);
    expect(Number.isNaN(traffic.totalRate1h[130])).toBe(false);
  });

  it('is uneven over the day: 0.1% of requests fail, yet the mean of 5m ratios is near 0.28%', () => {
    expect(trueErrorRatio(traffic, DAY)).toBeCloseTo(0.001, 5);
    expect(averageOfRatios(traffic, DAY)).toBeGreaterThan(0.0026);
    expect(averageOfRatios(traffic, DAY)).toBeLessThan(0.003);
  });

  it('is the same data on every run', () => {
    const again = syntheticTraffic(END, 2);
    expect(again.counters[5].values[last]).toBe(traffic.counters[5].values[last]);
  });
});

describe('series the rules read', () => {
  it('carries exactly the labels our 5m and 1h rules set', () => {
    const ours = ourSystem();
    const history = ours.history(syntheticTraffic(END, 1));
    expect(history.map((s) => s.name)).toEqual(['slo:sli_total:rate5m', 'slo:sli_errors:rate5m', 'slo:sli_total:rate1h', 'slo:sli_errors:rate1h']);
    for (const s of history) {
      expect(s.labels).toEqual({ owner: 'myteam', repo: 'myorg/myservice', tier: '2', service: 'myservice', slo: 'requests-availability' });
      expect(ours.rules.find((r) => r.record === s.name)?.labels).toEqual(s.labels);
    }
  });

  it('carries Sloth\'s labels on its 5m ratio', () => {
    const [ratio] = slothSystem().history(syntheticTraffic(END, 1));
    expect(ratio.name).toBe('slo:sli_error:ratio_rate5m');
    expect(ratio.labels).toEqual({
      cmd: 'examplesgen.sh', owner: 'myteam', repo: 'myorg/myservice', tier: '2', sloth_id: 'myservice-requests-availability',
      sloth_service: 'myservice', sloth_slo: 'requests-availability', sloth_window: '5m',
    });
  });
});

describe('OpenMetrics output', () => {
  it('escapes quotes, backslashes and newlines in label values', () => {
    expect(seriesText('m', { a: 'say "hi"\\\n' })).toBe('m{a="say \\"hi\\"\\\\\\n"}');
    expect(seriesText('m', {})).toBe('m');
  });

  it('backfills with promtool, every written sample landing in a block', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rule-cost-test-'));
    try {
      const traffic = syntheticTraffic(END, 0.25);
      const file = join(dir, 'data.om');
      const written = writeOpenMetrics(file, [...counterSeries(traffic), ...ourSystem().history(traffic), ...slothSystem().history(traffic)]);
      expect(written.series).toBe(11);
      execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, join(dir, 'data')], { stdio: 'pipe' });
      const listing = execFileSync('promtool', ['tsdb', 'list', join(dir, 'data')], { encoding: 'utf8' });
      const rows = listing.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
      const header = listing.split('\n')[0].trim().split(/\s{2,}/);
      const samplesAt = header.indexOf('NUM SAMPLES');
      expect(samplesAt).toBeGreaterThan(0);
      expect(rows.reduce((n, r) => n + Number(r[samplesAt]), 0)).toBe(written.samples);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('query stats parser', () => {
  const answer = {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [{ metric: { slo: 'requests-availability' }, value: [END, '0.001'] }],
      stats: {
        timings: { evalTotalTime: 0.0042, resultSortTime: 0, queryPreparationTime: 0.0001, innerEvalTime: 0.004, execQueueTime: 0.0001, execTotalTime: 0.0045 },
        samples: { totalQueryableSamples: 86403, peakSamples: 1443 },
      },
    },
  };

  it('reads samples, peak, evaluation time and the result', () => {
    expect(parseInstantAnswer(answer, 'x')).toEqual({
      cost: { totalQueryableSamples: 86403, peakSamples: 1443, evalSeconds: 0.0042 },
      series: [{ labels: { slo: 'requests-availability' }, value: 0.001 }],
    });
  });

  it('reads a scalar answer as one unlabelled series', () => {
    const scalar = { status: 'success', data: { ...answer.data, resultType: 'scalar', result: [END, '1'] } };
    expect(parseInstantAnswer(scalar, '1').series).toEqual([{ labels: {}, value: 1 }]);
  });

  it('names the expression and Prometheus\'s error when the query fails', () => {
    const error = { status: 'error', errorType: 'bad_data', error: 'parse error: unclosed left parenthesis' };
    expect(() => parseInstantAnswer(error, 'sum(')).toThrow('query sum(: Prometheus answered bad_data: parse error: unclosed left parenthesis');
  });

  it('refuses an answer without statistics rather than counting the rule as free', () => {
    const { stats: _, ...noStats } = answer.data;
    expect(() => parseInstantAnswer({ status: 'success', data: noStats }, 'up')).toThrow('query up: answer has no stats.samples');
    const partial = { status: 'success', data: { ...answer.data, stats: { ...answer.data.stats, samples: { peakSamples: 1 } } } };
    expect(() => parseInstantAnswer(partial, 'up')).toThrow('stats.samples.totalQueryableSamples is missing or not a number');
  });
});

describe('rule ordering', () => {
  it('finds recorded names, not label values or subquery ranges', () => {
    expect(recordedNamesIn('avg_over_time(slo:sli_total:rate1h{slo="a:b"}[30d:1h]) / on(slo) slo:x:y')).toEqual(['slo:sli_total:rate1h', 'slo:x:y']);
  });

  it('puts our window averages first, then ratios, burn rates and budget left, each alert after the burn rates it reads', () => {
    const { rules, history } = ourSystem();
    const levels = ruleLevels(rules, new Set(history(syntheticTraffic(END, 0.1)).map((s) => s.name)));
    const level = (name: string): number => levels[rules.findIndex((r) => r.record === name)];
    expect(level('slo:sli_total:rate30d')).toBe(0);
    expect(level('slo:sli_error:ratio_rate30d')).toBe(1);
    expect(level('slo:burn_rate:30d')).toBe(2);
    expect(level('slo:error_budget_remaining:ratio')).toBe(3);
    // The 1h ratio reads the backfilled 1h rates directly, so it needs no earlier pass.
    expect(level('slo:sli_error:ratio_rate1h')).toBe(0);
    rules.forEach((r, i) => {
      if (!r.alert) return;
      for (const name of recordedNamesIn(r.expr).filter((n) => n.startsWith('slo:burn_rate:'))) expect(levels[i]).toBeGreaterThan(level(name));
    });
  });

  it('puts Sloth\'s ratios first and its period budget left last', () => {
    const { rules } = slothSystem();
    const levels = ruleLevels(rules, new Set(['slo:sli_error:ratio_rate5m']));
    const level = (name: string): number => levels[rules.findIndex((r) => r.record === name)];
    expect(level('slo:sli_error:ratio_rate30d')).toBe(0);
    expect(level('slo:current_burn_rate:ratio')).toBe(1);
    expect(level('slo:period_burn_rate:ratio')).toBe(1);
    expect(level('slo:period_error_budget_remaining:ratio')).toBe(2);
  });

  it('reports a cycle instead of looping', () => {
    const cycle = [{ record: 'a:x', expr: 'b:x', labels: {} }, { record: 'b:x', expr: 'a:x', labels: {} }];
    expect(() => ruleLevels(cycle, new Set())).toThrow('cycle');
  });
});

describe('a real Prometheus over the backfilled data', () => {
  let dir: string;
  let server: PrometheusServer | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rule-cost-prom-'));
    const traffic = syntheticTraffic(END, 0.125);
    const file = join(dir, 'data.om');
    writeOpenMetrics(file, [...counterSeries(traffic), ...ourSystem().history(traffic), ...slothSystem().history(traffic)]);
    await backfill(file, join(dir, 'data'));
    server = await PrometheusServer.start(join(dir, 'data'), dir);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const rule = (rules: ReturnType<typeof ourSystem>['rules'], record: string): string => rules.find((r) => r.record === record)!.expr;

  it('counts 11 samples per counter series for a 5m rate: 6 for the total and 4 for the errors', async () => {
    const sloth = await server!.query(rule(slothSystem().rules, 'slo:sli_error:ratio_rate5m'), END);
    expect(sloth.cost.totalQueryableSamples).toBe(110);
    expect(sloth.series).toHaveLength(1);
  });

  it('reads 121 samples of the recorded 5m series for our 1h rate, where Sloth reads 121 of each counter', async () => {
    const ours = await server!.query(rule(ourSystem().rules, 'slo:sli_total:rate1h'), END);
    expect(ours.cost.totalQueryableSamples).toBe(121);
    const sloth = await server!.query(rule(slothSystem().rules, 'slo:sli_error:ratio_rate1h'), END);
    expect(sloth.cost.totalQueryableSamples).toBe(121 * 10);
  });

  it('computes from the counters what the backfilled 5m series holds', async () => {
    const computed = await server!.query(rule(ourSystem().rules, 'slo:sli_total:rate5m'), END);
    const stored = await server!.query('slo:sli_total:rate5m', END);
    expect(computed.series[0].value).toBeCloseTo(stored.series[0].value, 9);
  });
});
