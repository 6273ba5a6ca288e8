// How long rendering the dashboards takes and how large they are; prints figures, asserts nothing.
// Run: node -r tsx/cjs bench/dashboards.ts
import path from 'node:path';
import { buildDashboards } from '../dashboards';
import { checkDashboardQueries, dashboardQueries } from '../dashboards/check';
import { loadSpecFile } from '../slo/load';
import { defaultStackConfig } from '../slo/stack';

const RUNS = 200;
const spec = loadSpecFile(path.join(__dirname, '../slo/digital-twin-mcp.yaml'));

function timeMs(run: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / RUNS;
}

const dashboards = buildDashboards([spec], defaultStackConfig);
const buildMs = timeMs(() => buildDashboards([spec], defaultStackConfig));
const checkMs = timeMs(() => dashboards.forEach((d) => checkDashboardQueries(d)));
for (const d of dashboards) {
  const bytes = Buffer.byteLength(JSON.stringify(d, null, 2));
  console.log(`${d.uid}: ${d.panels?.length ?? 0} panels, ${dashboardQueries(d).length} queries, ${(bytes / 1024).toFixed(1)} KiB`);
}
console.log(`build all dashboards: ${buildMs.toFixed(2)} ms; check all queries: ${checkMs.toFixed(2)} ms (mean of ${RUNS} runs)`);
