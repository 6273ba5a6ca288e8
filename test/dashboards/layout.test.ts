// Grafana accepts the layout and operators can read every panel: unique ids, no overlapping panels, units and descriptions.
import { buildDashboards } from '../../dashboards';
import { PROMETHEUS } from '../../dashboards/defaults';
import { realSpec, smallSpec, STACK } from './fixtures';
import { allPanels, contentPanels, type AnyPanel } from './helpers';

const dashboards = buildDashboards([smallSpec(), { ...realSpec(), service: 'other-service' }], STACK);

function overlap(a: AnyPanel, b: AnyPanel): boolean {
  const [p, q] = [a.gridPos!, b.gridPos!];
  return p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
}

describe.each(dashboards.map((d) => [d.uid, d] as const))('%s', (uid, d) => {
  test('has an explicit uid Grafana accepts (at most 40 characters) and a title', () => {
    expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(d.title.length).toBeGreaterThan(0);
  });

  test('panel ids are unique', () => {
    const ids = allPanels(d).map((p) => p.id);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('panels lie inside the 24-column grid and no two overlap', () => {
    const panels = allPanels(d);
    for (const p of panels) {
      const g = p.gridPos!;
      expect({ title: p.title, inside: g.x >= 0 && g.y >= 0 && g.w > 0 && g.h > 0 && g.x + g.w <= 24 }).toEqual({ title: p.title, inside: true });
    }
    const overlapping = panels.flatMap((a, i) => panels.slice(i + 1).filter((b) => overlap(a, b)).map((b) => `${a.title} / ${b.title}`));
    expect(overlapping).toEqual([]);
  });

  test('has a prometheus datasource variable and no panel or query names a datasource uid', () => {
    const variable = d.templating?.list?.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const uids = [...JSON.stringify(d).matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]).filter((u) => u !== uid);
    expect(new Set(uids)).toEqual(new Set([PROMETHEUS.uid]));
  });

  test('every panel has a unit, a description saying what to do, and at least one query', () => {
    for (const p of contentPanels(d)) {
      expect({ title: p.title, unit: typeof p.fieldConfig?.defaults.unit }).toEqual({ title: p.title, unit: 'string' });
      expect(p.description?.length ?? 0).toBeGreaterThan(60);
      expect(p.targets?.length ?? 0).toBeGreaterThan(0);
      expect(p.datasource).toEqual(PROMETHEUS);
    }
  });
});

test('uids are unique across dashboards, so one render never overwrites another', () => {
  const uids = dashboards.map((d) => d.uid);
  expect(new Set(uids).size).toBe(uids.length);
  expect(uids).toEqual(['digital-twin-mcp-overview', 'digital-twin-mcp-business', 'digital-twin-mcp-slos', 'other-service-slos']);
});
