// Prometheus's own parser (promtool, Go) accepts every dashboard query once Grafana's variables are substituted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { buildDashboards } from '../../dashboards';
import { dashboardQueries, interpolate } from '../../dashboards/check';
import { realSpec, STACK } from './fixtures';

function promtoolCheck(exprs: readonly string[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dashboards-promtool-'));
  try {
    const file = path.join(dir, 'queries.rules.yaml');
    const rules = exprs.map((expr, i) => ({ record: `dashboard:query${i}:check`, expr }));
    writeFileSync(file, yaml.dump({ groups: [{ name: 'dashboard-queries', rules }] }, { lineWidth: -1 }));
    try {
      return { ok: true, output: execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('promtool parses every query of every dashboard', () => {
  const exprs = buildDashboards([realSpec()], STACK).flatMap((d) => {
    const variables = (d.templating?.list ?? []).map((v) => v.name);
    return dashboardQueries(d).map((q) => interpolate(q.expr, variables));
  });
  expect(exprs.length).toBeGreaterThan(40);
  const result = promtoolCheck(exprs);
  expect(result.output).toContain(`${exprs.length} rules found`);
  expect(result.ok).toBe(true);
});

test('promtool rejects a broken query (the check can fail)', () => {
  expect(promtoolCheck(['sum by (le (rate(x[5m]))']).ok).toBe(false);
});
