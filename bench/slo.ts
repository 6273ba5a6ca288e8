// Benchmark of the spec pipeline: validating and rendering specs of 1, 100 and 1,000 SLOs.
import yaml from 'js-yaml';
import { performance } from 'node:perf_hooks';
import { generate } from '../slo/generate';
import { parseSpec } from '../slo/load';
import type { SpecInput } from '../slo/schema';

const SLI_KINDS: Array<SpecInput['slos'][number]['sli']> = [
  { ratio: { errors: 'http_requests_total{status_code=~"5.."}', total: 'http_requests_total' } },
  { latency: { histogram: 'http_request_duration_seconds{route="/mcp"}', threshold: 1.5 } },
  { ratio: { good: 'cache_hits_total', total: ['cache_hits_total', 'cache_misses_total'] } },
];

/** A spec text with `count` SLOs cycling through ratio, latency and list-summed SLIs. */
export function syntheticSpec(count: number): string {
  const slos = Array.from({ length: count }, (_, i) => ({
    name: `slo-${i}`,
    objective: i % 3 === 2 ? 80 : 99.5,
    window: '30d',
    sli: SLI_KINDS[i % 3],
    alerting: { page: i % 3 !== 2, ticket: true },
  }));
  return yaml.dump({
    service: 'digital-twin-mcp',
    labels: { team: 'platform' },
    slos,
    alerts: [],
    routing: [
      { severity: 'critical', receivers: [{ pagerduty: {} }] },
      { severity: 'warning', receivers: [{ slack: { channel: '#alerts-warning' } }] },
    ],
  }, { noRefs: true });
}

function timeIt(runs: number, fn: () => void): number {
  fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - start) / runs;
}

export async function benchSlo(): Promise<void> {
  console.log('\n## SLO spec: validate and render');
  console.log('| SLOs | spec KiB | validate ms | render ms | rules | rendered KiB | render ms per SLO |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  let perSloAt1 = 0;
  for (const count of [1, 100, 1000]) {
    const text = syntheticSpec(count);
    const runs = count === 1000 ? 3 : count === 100 ? 10 : 50;
    const validateMs = timeIt(runs, () => parseSpec(text, 'bench.yaml'));
    const spec = parseSpec(text, 'bench.yaml');
    const renderMs = timeIt(runs, () => generate([spec]));
    const artifacts = generate([spec]);
    const rules = artifacts.services[0].rules.groups.reduce((n, g) => n + g.rules.length, 0);
    const kib = artifacts.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) / 1024;
    const perSlo = renderMs / count;
    if (count === 1) perSloAt1 = perSlo;
    console.log(`| ${count} | ${(Buffer.byteLength(text) / 1024).toFixed(1)} | ${validateMs.toFixed(1)} | ${renderMs.toFixed(1)} | ${rules} | ${kib.toFixed(0)} | ${perSlo.toFixed(2)} |`);
  }
  console.log(`(render cost per SLO at 1,000 SLOs relative to 1 SLO is shown by the last column; ${perSloAt1.toFixed(2)} ms at 1)`);
}

if (require.main === module) void benchSlo();
