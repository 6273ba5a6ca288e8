// The SLO dashboard follows the spec: one row per SLO, thresholds from the burn-window table, runbook links per SLO.
import { buildDashboards } from '../../dashboards';
import { headingAnchor, runbookHeading } from '../../slo/links';
import { burnWindows } from '../../slo/rules/windows';
import type { Spec } from '../../slo/schema';
import { defaultStackConfig } from '../../slo/stack';
import { smallSpec, STACK } from './fixtures';
import { contentPanels, exprs } from './helpers';

function sloDashboard(spec: Spec, stack = STACK) {
  return buildDashboards([spec], stack).find((d) => d.uid === `${spec.service}-slos`)!;
}

function rowTitles(spec: Spec): string[] {
  return (sloDashboard(spec).panels ?? []).filter((p) => p.type === 'row').map((p) => p.title ?? '');
}

test('one row per SLO, in spec order', () => {
  expect(rowTitles(smallSpec())).toEqual(['availability: 99.9% over 30d', 'latency-p95: 95% over 28d', 'cache-hit-rate: 80% over 30d']);
});

test('adding an SLO to a copy of the spec adds its row and its panels, and leaves the others alone', () => {
  const spec = smallSpec();
  const before = sloDashboard(spec);
  const extra = { ...spec.slos[0], name: 'mcp-tool-success', objective: 99, description: 'MCP tool calls that succeed.' };
  const grown: Spec = { ...spec, slos: [...spec.slos, extra] };
  const after = sloDashboard(grown);

  expect(rowTitles(grown)).toEqual([...rowTitles(spec), 'mcp-tool-success: 99% over 30d']);
  const newPanels = contentPanels(after).filter((p) => p.title?.startsWith('mcp-tool-success:'));
  expect(newPanels.map((p) => p.title)).toEqual(contentPanels(before).filter((p) => p.title?.startsWith('availability:')).map((p) => p.title?.replace('availability', 'mcp-tool-success')));
  expect(newPanels.flatMap(exprs).every((e) => !e.includes('slo:') || e.includes('slo="mcp-tool-success"'))).toBe(true);
  // The existing rows render exactly as before.
  const json = (x: unknown) => JSON.parse(JSON.stringify(x));
  expect(json(after.panels?.slice(0, before.panels?.length))).toEqual(json(before.panels));
});

test('burn rate thresholds are the alert factors of the SLO window, coloured by severity', () => {
  const spec = smallSpec();
  for (const slo of spec.slos) {
    const panel = contentPanels(sloDashboard(spec)).find((p) => p.title === `${slo.name}: burn rate by alert window`)!;
    const steps = panel.fieldConfig?.defaults.thresholds?.steps ?? [];
    const expected = burnWindows(slo).map((w) => ({ value: w.factor, color: w.severity === 'critical' ? 'red' : 'orange' }));
    expect(steps.slice(1)).toEqual([...expected].sort((a, b) => a.value - b.value));
  }
  // A 28-day SLO pages at 13.44x over 1h, not the 30-day 14.4x; a ticket-only SLO draws no page threshold.
  const values = (name: string) =>
    contentPanels(sloDashboard(spec)).find((p) => p.title === `${name}: burn rate by alert window`)!.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);
  expect(values('latency-p95')).toContain(13.44);
  expect(values('cache-hit-rate')).toEqual([null, 1, 3]);
});

test('every SLO panel links to the runbook section of its burn alert', () => {
  const spec = smallSpec();
  for (const slo of spec.slos) {
    const anchor = headingAnchor(runbookHeading({ kind: 'burn', slo: slo.name }));
    expect(anchor).toBe(`errorbudgetburn-${slo.name}`);
    for (const p of contentPanels(sloDashboard(spec)).filter((p) => p.title?.startsWith(`${slo.name}:`))) {
      expect(p.links?.map((l) => l.url)).toEqual([`https://runbooks.example.com/digital-twin/RUNBOOK.md#${anchor}`]);
    }
  }
  // Without a base URL the link stays relative to the repository's runbook.
  const relative = contentPanels(sloDashboard(spec, defaultStackConfig))[0];
  expect(relative.links?.[0].url).toBe('RUNBOOK.md#errorbudgetburn-availability');
});

test('time until exhaustion divides the remaining budget by the current burn rate, in seconds', () => {
  const panel = contentPanels(sloDashboard(smallSpec())).find((p) => p.title === 'availability: budget exhausted in')!;
  expect(panel.fieldConfig?.defaults.unit).toBe('dtdurations');
  expect(exprs(panel)[0]).toMatch(/slo:error_budget_remaining:ratio.*\* on \(service, slo\) slo:window:seconds.*\/ on \(service, slo\) slo:burn_rate:1h/);
});

test('alert state panels read the ErrorBudgetBurn alerts of their own SLO', () => {
  const panels = contentPanels(sloDashboard(smallSpec())).filter((p) => p.title?.startsWith('latency-p95: burn alert'));
  expect(panels).toHaveLength(2);
  for (const e of panels.flatMap(exprs)) expect(e).toContain('ALERTS{alertname="ErrorBudgetBurn"');
  for (const e of panels.flatMap(exprs)) expect(e).toContain('slo="latency-p95"');
});
