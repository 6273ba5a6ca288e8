// What the generators promise: labels everywhere, cheap traffic-weighted long windows, annotated alerts, scaled burn rates.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { schemaText } from '../../slo/cli/schema';
import { generate } from '../../slo/generate';
import { headingAnchor } from '../../slo/links';
import { loadSpecFile, parseSpec } from '../../slo/load';
import { parseExpr } from '../../slo/promql';
import type { AlertingRule } from '../../slo/rules/annotate';
import type { RecordingRule } from '../../slo/rules/recording';
import { burnWindows } from '../../slo/rules/windows';
import { defaultStackConfig } from '../../slo/stack';

const spec = loadSpecFile('slo/digital-twin-mcp.yaml');
const second = loadSpecFile('test/fixtures/specs/checkout-api.yaml');
const artifacts = generate([spec]);
const rules = artifacts.services[0].rules.groups.flatMap((g) => g.rules);
const recording = rules.filter((r): r is RecordingRule => 'record' in r);
const alerts = rules.filter((r): r is AlertingRule => 'alert' in r);

describe('recording rules', () => {
  it('carry the spec labels, service and slo on every rule', () => {
    for (const r of recording) expect(r.labels).toMatchObject({ team: 'platform', service: 'digital-twin-mcp', slo: expect.any(String) });
  });

  it('read raw counters only over the 5m base window; longer windows come from recorded series', () => {
    for (const r of recording) {
      for (const [, range] of r.expr.matchAll(/\[(\w+)(?::\w+)?\]/g)) {
        if (range !== '5m') expect(r.expr).toMatch(/avg_over_time\(slo:sli_(total|errors):rate(5m|1h)\{/);
      }
    }
  });

  it('average hourly tiles for windows over 6h (a 30d window reads 720 points, not 86,400)', () => {
    const r30d = recording.find((r) => r.record === 'slo:sli_errors:rate30d' && r.labels.slo === 'availability')!;
    // 1ms short of 30d: Prometheus 2.x includes both ends of a subquery range, which would read 721 tiles on the hour.
    expect(r30d.expr).toBe('avg_over_time(slo:sli_errors:rate1h{service="digital-twin-mcp",slo="availability"}[29d23h59m59s999ms:1h]) or slo:sli_errors:rate1h{service="digital-twin-mcp",slo="availability"}');
  });

  it('compute ratios as summed errors over summed events', () => {
    const ratio = recording.find((r) => r.record === 'slo:sli_error:ratio_rate6h' && r.labels.slo === 'availability')!;
    expect(ratio.expr).toBe('slo:sli_errors:rate6h{service="digital-twin-mcp",slo="availability"} / (slo:sli_total:rate6h{service="digital-twin-mcp",slo="availability"} > 0)');
  });

  it('count the latency SLI from the threshold bucket, matching `3` and Prometheus 3\'s `3.0`', () => {
    const p99 = recording.find((r) => r.record === 'slo:sli_errors:rate5m' && r.labels.slo === 'latency-p99')!;
    expect(p99.expr).toContain('http_request_duration_seconds_bucket{route!~"/metrics|/health.*",le=~"3|3\\\\.0"}');
  });

  it('record budget remaining as 1 minus the burn over the SLO window', () => {
    const remaining = recording.find((r) => r.record === 'slo:error_budget_remaining:ratio' && r.labels.slo === 'availability')!;
    expect(remaining.expr).toBe('1 - slo:burn_rate:30d{service="digital-twin-mcp",slo="availability"}');
  });

  it('parse as PromQL, every one', () => {
    for (const r of [...recording, ...alerts]) expect(parseExpr(r.expr)).toMatchObject({ ok: true });
  });
});

describe('burn-rate alerts', () => {
  const burn = alerts.filter((a) => a.alert === 'ErrorBudgetBurn');

  it('one per SLO and window pair: 4 for page+ticket SLOs, 2 for the ticket-only cache SLO', () => {
    expect(burn.map((a) => `${a.labels.slo} ${a.labels.severity} ${a.labels.long_window}/${a.labels.short_window} for ${a.for}`)).toEqual([
      'availability critical 1h/5m for 2m', 'availability critical 6h/30m for 15m', 'availability warning 1d/2h for 1h', 'availability warning 3d/6h for 3h',
      'latency-p95 critical 1h/5m for 2m', 'latency-p95 critical 6h/30m for 15m', 'latency-p95 warning 1d/2h for 1h', 'latency-p95 warning 3d/6h for 3h',
      'latency-p99 critical 1h/5m for 2m', 'latency-p99 critical 6h/30m for 15m', 'latency-p99 warning 1d/2h for 1h', 'latency-p99 warning 3d/6h for 3h',
      'cache-hit-rate warning 1d/2h for 1h', 'cache-hit-rate warning 3d/6h for 3h',
    ]);
  });

  it('fire on both windows above the factor, guarded against a handful of requests', () => {
    const page = burn.find((a) => a.labels.slo === 'availability' && a.labels.long_window === '1h')!;
    expect(page.expr).toBe([
      'slo:burn_rate:1h{service="digital-twin-mcp",slo="availability"} > 14.4',
      'and on(service, slo)',
      'slo:burn_rate:5m{service="digital-twin-mcp",slo="availability"} > 14.4',
      'and on(service, slo)',
      'slo:sli_total:rate1h{service="digital-twin-mcp",slo="availability"} * 3600 >= 30',
    ].join('\n'));
  });

  it('scale factors so a 28d SLO spends the same budget share per tier as a 30d one', () => {
    expect(burnWindows(second.slos[0]).map((w) => w.factor)).toEqual([13.44, 5.6, 2.8, 0.9333333333]);
  });

  it('say the budget as time in their description', () => {
    const page = burn.find((a) => a.labels.slo === 'availability' && a.labels.long_window === '1h')!;
    expect(page.annotations.description).toContain('the whole budget (43 min 12 s) is gone in 2 d 2 h');
  });
});

describe('annotations and runbook', () => {
  const runbook = readFileSync('RUNBOOK.md', 'utf8');
  const anchors = new Set([...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1])));

  it('every alert has summary, description, runbook_url and dashboard_url, and the spec labels', () => {
    for (const a of alerts) {
      expect(Object.keys(a.annotations).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(a.labels.team).toBe('platform');
    }
  });

  it('every runbook_url anchor has a section in RUNBOOK.md', () => {
    const missing = alerts.map((a) => a.annotations.runbook_url.split('#')[1]).filter((anchor) => !anchors.has(anchor));
    expect(missing).toEqual([]);
  });

  it('a new alert without a section is caught', () => {
    const text = readFileSync('slo/digital-twin-mcp.yaml', 'utf8').replace('name: HighErrorRate', 'name: BrandNewAlert');
    const added = generate([parseSpec(text)]).services[0].rules.groups.flatMap((g) => g.rules) as AlertingRule[];
    const missing = added.filter((a) => a.alert).map((a) => a.annotations.runbook_url.split('#')[1]).filter((x) => !anchors.has(x));
    expect(missing).toEqual(['brandnewalert']);
  });

  it('resolves runbook and dashboard links against the spec links', () => {
    const rendered = generate([second]).services[0].rules.groups.flatMap((g) => g.rules) as AlertingRule[];
    const page = rendered.find((a) => a.alert === 'ErrorBudgetBurn')!;
    expect(page.annotations.runbook_url).toBe('https://git.example.com/payments/checkout/blob/main/docs/checkout-runbook.md#errorbudgetburn-payments-accepted');
    expect(page.annotations.dashboard_url).toBe('https://grafana.example.com/d/checkout-api-slos?var-slo=payments-accepted');
  });
});

describe('alertmanager config', () => {
  const am = artifacts.alertmanager;

  it('reads every secret from a file, never inline', () => {
    const text = JSON.stringify(am);
    expect(text).not.toMatch(/"(routing_key|api_url|auth_password|credentials|service_key)"/);
    expect(text).toContain('"routing_key_file":"/etc/alertmanager/secrets/pagerduty-routing-key"');
    expect(text).toContain('"api_url_file":"/etc/alertmanager/secrets/slack-webhook-url"');
  });

  it('page inhibits ticket for the same SLO', () => {
    expect(am.inhibit_rules).toEqual([{
      source_matchers: ['alertname="ErrorBudgetBurn"', 'severity="critical"'],
      target_matchers: ['alertname="ErrorBudgetBurn"', 'severity="warning"'],
      equal: ['service', 'slo'],
    }]);
  });

  it('adds service matchers only when several specs share one Alertmanager', () => {
    const both = generate([spec, second]).alertmanager;
    expect(both.route.routes!.filter((r) => r.matchers).map((r) => r.matchers)).toEqual([
      ['severity="critical"', 'service="digital-twin-mcp"'], ['severity="warning"', 'service="digital-twin-mcp"'],
      ['severity="critical"', 'service="checkout-api"'], ['severity="warning"', 'service="checkout-api"'],
    ]);
  });
});

describe('instrumentation', () => {
  it('merges every latency threshold of the spec into the request histogram buckets (the seed lacked 1.5 s)', () => {
    expect(artifacts.instrumentation.buckets.http_request_duration_seconds).toEqual([0.1, 0.3, 0.5, 0.7, 1, 1.5, 3, 5, 7, 10]);
  });
});

describe('rendered files', () => {
  it('say they are generated, and the rules round-trip through YAML', () => {
    const rulesFile = artifacts.files.find((f) => f.path === 'prometheus/rules/digital-twin-mcp.rules.yaml')!;
    expect(rulesFile.content.split('\n')[0]).toMatch(/^# Generated by `slo render`/);
    expect(yaml.load(rulesFile.content)).toEqual(artifacts.services[0].rules);
  });

  it('slo/slo.schema.json is current (regenerate with `node bin/slo.js schema > slo/slo.schema.json`)', () => {
    expect(readFileSync('slo/slo.schema.json', 'utf8')).toBe(schemaText());
  });

  it('contain no secret-looking value with the default stack config', () => {
    const all = artifacts.files.map((f) => f.content).join('\n');
    expect(all).not.toMatch(/hooks\.slack\.com|xox[bp]-|\b[0-9a-f]{32}\b/);
    expect(defaultStackConfig.alertmanager.secretsDir).toBe('/etc/alertmanager/secrets');
  });
});
