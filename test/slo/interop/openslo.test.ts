// OpenSLO v1 in and out: the real spec survives ours → OpenSLO → ours in every field both formats have.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { exportCommand } from '../../../slo/cli/export';
import { importCommand } from '../../../slo/cli/import';
import { loadSpecFile, parseSpec } from '../../../slo/load';
import { exportOpenSlo, importOpenSlo } from '../../../slo/interop/openslo';
import type { Spec } from '../../../slo/schema';

const ROOT = resolve(__dirname, '../../..');
const REAL_SPEC = join(ROOT, 'slo/digital-twin-mcp.yaml');
const GOOD = join(ROOT, 'test/fixtures/openslo/good-indicator-ref.yaml');

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The fields OpenSLO also has: service, its labels, and per SLO name, objective, window, description, SLI, labels. */
function shared(spec: Spec) {
  return {
    service: spec.service,
    labels: spec.labels,
    slos: spec.slos.map((s) => ({ name: s.name, objective: s.objective, window: s.window, description: s.description, sli: s.sli, labels: s.labels })),
  };
}

const SPEC_WITH_EDGES = `service: edges
labels: { team: core, tier: "1" }
externalMetrics:
  - { name: jobs_total, type: counter }
  - { name: jobs_failed_total, type: counter }
  - { name: jobs_retried_total, type: counter }
  - { name: job_duration_seconds, type: histogram, buckets: [0.25, 2, 10] }
slos:
  - name: jobs-succeed
    objective: 99.95
    window: 28d
    labels: { area: batch }
    sli:
      ratio:
        errors: ['jobs_failed_total{queue="main"}', 'jobs_retried_total{queue="main"}']
        total: jobs_total{queue="main"}
  - name: jobs-fast
    objective: 97.5
    window: 7d
    sli:
      latency: { histogram: 'job_duration_seconds{queue="main"}', threshold: 2 }
    alerting: { page: false }
  - name: jobs-fast-quarter
    objective: 90
    window: 14d
    sli:
      latency: { histogram: job_duration_seconds, threshold: 0.25 }
    alerting: { page: false }
routing:
  - severity: critical
    receivers: [{ pagerduty: {} }]
  - severity: warning
    receivers: [{ slack: { channel: "#jobs" } }]
`;

describe('ours → OpenSLO → ours', () => {
  it('keeps every field both formats have for the real spec', () => {
    const ours = loadSpecFile(REAL_SPEC);
    const exported = exportOpenSlo([ours]);
    const back = importOpenSlo(exported.yaml, 'exported.yaml');
    expect(shared(back.spec)).toEqual(shared(ours));
    // What OpenSLO has no place for is said, not silently dropped.
    const notes = exported.notes.join('\n');
    expect(notes).toContain('threshold alerts (HighErrorRate, HighQueryLatency, LowCacheHitRate, HighMemoryUsage, DatabasePoolExhaustion) not carried over');
    expect(notes).toContain('routing not carried over');
    expect(notes).toContain('SLO cache-hit-rate: alerting (page false, ticket true, minEvents 30) not carried over');
  });

  it('keeps summed selectors, histogram matchers, integer thresholds, fractional objectives and other windows', () => {
    const ours = parseSpec(SPEC_WITH_EDGES, 'edges.yaml');
    const exported = exportOpenSlo([ours]);
    expect(exported.yaml).toContain('query: job_duration_seconds_bucket{queue="main",le=~"2|2\\\\.0"}');
    expect(exported.yaml).toContain('query: \'{__name__=~"jobs_failed_total|jobs_retried_total",queue="main"}\'');
    expect(exported.yaml).toContain('- target: 0.9995');
    const back = importOpenSlo(exported.yaml, 'exported.yaml');
    expect(shared(back.spec)).toEqual(shared(ours));
    // Metrics the app does not export come back declared external, so the imported spec validates.
    expect(back.spec.externalMetrics?.map((m) => m.name).sort()).toEqual(['job_duration_seconds', 'jobs_failed_total', 'jobs_retried_total', 'jobs_total']);
  });

  it('writes valid OpenSLO v1 documents: a Service, then one SLO per SLO with an inline ratio indicator', () => {
    const docs = parseAllDocuments(exportOpenSlo([loadSpecFile(REAL_SPEC)]).yaml);
    const values = (Array.isArray(docs) ? docs : []).map((d) => d.toJS());
    expect(values.map((v) => `${v.apiVersion} ${v.kind} ${v.metadata.name}`)).toEqual([
      'openslo/v1 Service digital-twin-mcp',
      'openslo/v1 SLO availability',
      'openslo/v1 SLO latency-p95',
      'openslo/v1 SLO latency-p99',
      'openslo/v1 SLO cache-hit-rate',
    ]);
    expect(values[1].spec).toMatchObject({
      service: 'digital-twin-mcp',
      timeWindow: [{ duration: '30d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ target: 0.999 }],
      indicator: { spec: { ratioMetric: { counter: true, bad: { metricSource: { type: 'Prometheus', spec: { query: 'http_requests_total{route!~"/metrics|/health.*",status_code=~"5.."}' } } } } } },
    });
  });

  it('leaves out, and says so, an SLO whose summed selectors differ in matchers', () => {
    const spec = parseSpec(SPEC_WITH_EDGES.replace('jobs_retried_total{queue="main"}', 'jobs_retried_total{queue="other"}'), 'edges.yaml');
    const exported = exportOpenSlo([spec]);
    expect(exported.yaml).not.toContain('name: jobs-succeed');
    expect(exported.notes[0]).toMatch(/^edges SLO jobs-succeed left out: the summed selectors .* differ in their label matchers/);
  });
});

describe('OpenSLO import', () => {
  it('reads indicatorRef, DataSource references, sum(rate()) queries, targetPercent and list labels', () => {
    const result = importOpenSlo(readFileSync(GOOD, 'utf8'), 'good.yaml');
    expect(shared(result.spec)).toEqual({
      service: 'checkout',
      labels: { team: 'shop' },
      slos: [
        {
          name: 'checkout-availability', objective: 99.5, window: '28d', description: 'Checkouts answered without a server error.',
          sli: { ratio: { errors: 'checkout_requests_total{code=~"5.."}', total: 'checkout_requests_total' } }, labels: { tier: '1' },
        },
        {
          name: 'checkout-latency', objective: 99, window: '28d', description: undefined,
          sli: { latency: { histogram: 'checkout_duration_seconds', threshold: 0.5 } }, labels: undefined,
        },
      ],
    });
    expect(result.notes).toEqual(expect.arrayContaining([
      'AlertPolicy fast-burn not carried over: burn-rate alerts and routing come from our own alerting and routing',
      'SLO checkout-availability: display name "Checkout availability" not carried over',
      expect.stringContaining('routing: none in the source; added critical → PagerDuty'),
    ]));
    expect(result.yaml.startsWith('# yaml-language-server: $schema=./slo.schema.json\n')).toBe(true);
  });
});

describe('slo import and slo export commands', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slo-openslo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('export --out then import --out gives a spec that loads like the original', async () => {
    const err = new Sink();
    expect(await exportCommand(['--to', 'openslo', REAL_SPEC, '--out', join(dir, 'openslo.yaml')], { out: new Sink(), err })).toBe(0);
    expect(err.text).toContain('not carried over:');
    const importErr = new Sink();
    expect(await importCommand(['--from', 'openslo', join(dir, 'openslo.yaml'), '--out', join(dir, 'spec.yaml')], { out: new Sink(), err: importErr })).toBe(0);
    expect(importErr.text).toContain(`wrote ${join(dir, 'spec.yaml')} (4 SLOs)`);
    expect(importErr.text).toContain('not carried over, or filled in:');
    expect(shared(loadSpecFile(join(dir, 'spec.yaml')))).toEqual(shared(loadSpecFile(REAL_SPEC)));
  });

  it('export refuses any target but openslo', async () => {
    await expect(exportCommand(['--to', 'sloth'], { out: new Sink(), err: new Sink() })).rejects.toThrow('--to must be openslo (got sloth)');
  });
});
