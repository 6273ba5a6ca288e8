// The loader: the shipped spec is valid, and each file of the invalid corpus yields its exact located messages.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecFile, parseSpec, SpecError } from '../../slo/load';
import { EXPECTED } from './invalidExpected';

const CORPUS = join(__dirname, 'invalid');

function problemsOf(file: string): string[] {
  try {
    parseSpec(readFileSync(join(CORPUS, file), 'utf8'), file);
  } catch (e) {
    if (e instanceof SpecError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('the shipped spec', () => {
  it('loads with its four SLOs and five threshold alerts', () => {
    const spec = loadSpecFile('slo/digital-twin-mcp.yaml');
    expect(spec.slos.map((s) => `${s.name} ${s.objective} ${s.window}`)).toEqual([
      'availability 99.9 30d', 'latency-p95 95 30d', 'latency-p99 99 30d', 'cache-hit-rate 80 30d',
    ]);
    expect(spec.alerts.map((a) => a.name)).toEqual(['HighErrorRate', 'HighQueryLatency', 'LowCacheHitRate', 'HighMemoryUsage', 'DatabasePoolExhaustion']);
  });

  it('loads the second service spec (28d, 99.95%, external metrics)', () => {
    const spec = loadSpecFile('test/fixtures/specs/checkout-api.yaml');
    expect(spec.slos[0]).toMatchObject({ objective: 99.95, window: '28d' });
  });
});

describe('the invalid-spec corpus', () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();

  it('has at least 25 cases, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s: exact locations and messages', (file) => {
    expect(problemsOf(file)).toEqual(EXPECTED[file.replace(/\.yaml$/, '')]);
  });
});

describe('error messages', () => {
  it('point inside a PromQL string at the offending character', () => {
    const text = readFileSync('slo/digital-twin-mcp.yaml', 'utf8').replace('sum(rate(errors_total[5m])) > 10', 'sum(rate(errors_total[5m]) > 10');
    const line = text.split('\n').findIndex((l) => l.includes('sum(rate(errors_total[5m]) > 10')) + 1;
    expect(() => parseSpec(text, 'spec.yaml')).toThrow(new RegExp(`^spec.yaml:${line}:\\d+: alerts.0.expr: PromQL: unexpected end of expression$`));
  });

  it('name a missing file without a stack trace', () => {
    expect(() => loadSpecFile('slo/nope.yaml')).toThrow('slo/nope.yaml:1:1: no such file');
  });
});
