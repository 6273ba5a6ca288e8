// The SLO dashboard and the generated rules agree: every series and alert a panel reads is one the rules produce.
import { buildDashboards } from '../../dashboards';
import { ruleFile } from '../../slo/rules/ruleFile';
import { BURN_ALERT } from '../../slo/rules/names';
import { realSpec, smallSpec, STACK } from './fixtures';
import { contentPanels, exprs } from './helpers';

describe.each([['small', smallSpec()], ['real', realSpec()]] as const)('the %s spec', (_name, spec) => {
  const rules = ruleFile(spec, STACK).groups.flatMap((g) => g.rules);
  const recorded = new Set(rules.flatMap((r) => ('record' in r ? [`${r.record}|${r.labels.service}|${r.labels.slo}`] : [])));
  const burnAlerts = rules.flatMap((r) => ('alert' in r && r.alert === BURN_ALERT ? [r] : []));
  const panels = contentPanels(buildDashboards([spec], STACK).find((d) => d.uid === `${spec.service}-slos`)!);

  test('every recorded series a panel selects is recorded for that service and SLO', () => {
    const selected = panels.flatMap(exprs).flatMap((e) => [...e.matchAll(/(slo:[a-z_:0-9]+)\{service="([^"]+)", slo="([^"]+)"\}/g)].map((m) => `${m[1]}|${m[2]}|${m[3]}`));
    expect(selected.length).toBeGreaterThan(spec.slos.length * 6);
    expect(selected.filter((s) => !recorded.has(s))).toEqual([]);
  });

  test('burn alerts carry the labels the alert panels group by, and link to the same runbook section as the panels', () => {
    for (const slo of spec.slos) {
      const alerts = burnAlerts.filter((a) => a.labels.slo === slo.name);
      expect(alerts.length).toBeGreaterThan(0);
      const panelLinks = new Set(panels.filter((p) => p.title?.startsWith(`${slo.name}:`)).flatMap((p) => (p.links ?? []).map((l) => l.url)));
      for (const alert of alerts) {
        expect(Object.keys(alert.labels)).toEqual(expect.arrayContaining(['service', 'slo', 'severity', 'long_window']));
        expect(panelLinks).toEqual(new Set([alert.annotations.runbook_url]));
      }
    }
  });
});
