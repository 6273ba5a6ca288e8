// Every dashboard query is PromQL that reads series somebody produces: the app, Prometheus, or the generated rules.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboards } from '../../dashboards';
import { checkDashboardQueries, dashboardQueries, interpolate, producerOf } from '../../dashboards/check';
import { defaultTimeseries, promQuery } from '../../dashboards/defaults';
import { recordedWindows } from '../../slo/rules/windows';
import { realSpec, smallSpec, STACK } from './fixtures';
import { contentPanels, exprs } from './helpers';

const specs = { small: smallSpec(), real: realSpec() };

describe.each(Object.entries(specs))('dashboards of the %s spec', (_name, spec) => {
  const dashboards = buildDashboards([spec], STACK);

  test.each(dashboards.map((d) => [d.uid, d] as const))('%s: every query parses and reads only produced series', (_uid, d) => {
    expect(dashboardQueries(d).length).toBeGreaterThan(0);
    expect(checkDashboardQueries(d)).toEqual([]);
  });

  test('SLO panels read only windows the rules record for that SLO', () => {
    const slos = dashboards.find((d) => d.uid === `${spec.service}-slos`)!;
    for (const panel of contentPanels(slos)) {
      for (const expr of exprs(panel)) {
        for (const [, window, slo] of expr.matchAll(/slo:(?:sli_error:ratio_rate|burn_rate:)(\w+)\{[^}]*slo="([^"]+)"/g)) {
          const def = spec.slos.find((s) => s.name === slo)!;
          expect({ panel: panel.title, window, recorded: recordedWindows(def).includes(window) }).toEqual({ panel: panel.title, window, recorded: true });
        }
      }
    }
  });
});

describe('multi-pod aggregation', () => {
  const all = buildDashboards([specs.real], STACK).flatMap(contentPanels).flatMap((p) => exprs(p).map((e) => [p.title, e] as const));

  test('every histogram_quantile sums its buckets by le across pods first', () => {
    const quantiles = all.filter(([, e]) => e.includes('histogram_quantile'));
    expect(quantiles.length).toBeGreaterThanOrEqual(4);
    for (const [, e] of quantiles) expect(e).toMatch(/histogram_quantile\(0\.\d+, sum by \(le[,)]/);
  });

});

describe('the query check catches a dashboard nobody feeds', () => {
  function dashboardWith(expr: string): dashboard.Dashboard {
    return new dashboard.DashboardBuilder('bad').uid('bad').withPanel(defaultTimeseries().title('Bad panel').withTarget(promQuery('A', expr))).build();
  }

  test('a metric missing from the catalog, builtins and rules is reported with its panel', () => {
    const problems = checkDashboardQueries(dashboardWith('sum(rate(http_requests_totl[$__rate_interval]))'));
    expect(problems).toEqual([
      expect.objectContaining({ where: 'Bad panel', message: expect.stringContaining('`http_requests_totl`') }),
    ]);
  });

  test('a recorded-series name the rules never produce is reported', () => {
    expect(checkDashboardQueries(dashboardWith('slo:sli_eror:ratio_rate5m'))).toHaveLength(1);
  });

  test('a syntax error is reported with its offset', () => {
    const [problem] = checkDashboardQueries(dashboardWith('sum(rate(http_requests_total[5m])'));
    expect(problem.message).toMatch(/^PromQL syntax error at offset \d+/);
  });

  test('a variable the dashboard does not define is reported', () => {
    const [problem] = checkDashboardQueries(dashboardWith('up{namespace=~"$namespace"}'));
    expect(problem.message).toContain('$namespace');
  });
});

describe('interpolate', () => {
  test('substitutes Grafana durations and known variables, and leaves label_replace group references alone', () => {
    expect(interpolate('label_replace(rate(x{job=~"$job"}[$__rate_interval]), "c", "${1}xx", "s", "(.)")', ['job'])).toBe(
      'label_replace(rate(x{job=~".*"}[5m]), "c", "${1}xx", "s", "(.)")',
    );
  });
});

describe('producerOf', () => {
  test.each([
    ['http_request_duration_seconds_bucket', 'app'],
    ['process_cpu_seconds_total', 'app'],
    ['up', 'prometheus'],
    ['ALERTS', 'prometheus'],
    ['slo:burn_rate:1h', 'rules'],
    ['node_memory_MemTotal_bytes', undefined],
  ])('%s is produced by %s', (series, producer) => {
    expect(producerOf(series)).toBe(producer);
  });
});
