// `npm run bench`: every benchmark in one run, printing figures (ratios within a run, never assertions).
import { benchApp } from './app';
import { benchRuleCost } from './ruleCost';
import { benchSlo } from './slo';
import { benchTelemetry } from './telemetry';

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'slo') await benchSlo();
  if (!only || only === 'rules') await benchRuleCost();
  if (!only || only === 'dashboards') {
    console.log('\n## Dashboards');
    require('./dashboards');
  }
  if (!only || only === 'app') await benchApp();
  if (!only || only === 'telemetry') await benchTelemetry();
}

main().catch((e: Error) => {
  console.error(`bench: ${e.message}`);
  process.exitCode = 1;
});
