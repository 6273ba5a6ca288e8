// Grafana through its API (@pulumiverse/grafana) instead of in-cluster provisioning, under Pulumi mocks.
import { renderedFor } from './expected';
import { PROJECT, TEST_SECRETS, findClearSecrets, isSecretWrapper, runStack, stackFileConfig, withSecrets, type StackRun } from './harness';

const GRAFANA_AUTH = 'glsa_test_grafana_token_0a0a';
let run: StackRun;

beforeAll(async () => {
  const base = stackFileConfig('staging');
  base[`${PROJECT}:grafana`] = JSON.stringify({ mode: 'api', apiUrl: 'https://grafana.digitaltwin.example.com' });
  const { grafanaAdminPassword: _unused, ...secrets } = TEST_SECRETS;
  const { config, secretKeys } = withSecrets(base, { ...secrets, grafanaAuth: GRAFANA_AUTH });
  run = await runStack('staging', config, secretKeys);
  if (run.error) throw run.error;
});

test('dashboards go through the Grafana API with exactly the rendered JSON, and no Grafana runs in the cluster', () => {
  const dashboards = run.resources.filter((r) => r.type === 'grafana:oss/dashboard:Dashboard');
  const expected = renderedFor('staging').files.filter((f) => f.path.startsWith('grafana/dashboards/'));
  expect(expected.length).toBeGreaterThan(0);
  expect(dashboards.map((d) => d.inputs.configJson).sort()).toEqual(expected.map((f) => f.content).sort());
  expect(run.resources.filter((r) => r.type.startsWith('kubernetes:') && /grafana/.test(r.name))).toEqual([]);
});

test('Prometheus, Jaeger and Elasticsearch datasources exist, and every datasource the dashboards name resolves', () => {
  const ds = run.resources.filter((r) => r.type === 'grafana:oss/dataSource:DataSource');
  expect(ds.map((d) => [d.inputs.uid, d.inputs.type]).sort()).toEqual([
    ['elasticsearch', 'elasticsearch'],
    ['jaeger', 'jaeger'],
    ['prometheus', 'prometheus'],
  ]);
  // Dashboards name a datasource either by a template variable (`${...}`) or by one of these uids.
  const uids = new Set(ds.map((d) => d.inputs.uid));
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.datasource && typeof o.datasource === 'object') refs.push(String((o.datasource as Record<string, unknown>).uid));
      Object.values(o).forEach(walk);
    }
  };
  for (const f of renderedFor('staging').files.filter((x) => x.path.startsWith('grafana/dashboards/'))) walk(JSON.parse(f.content));
  expect(refs.length).toBeGreaterThan(0);
  expect(refs.filter((uid) => !uid.startsWith('${') && !uids.has(uid))).toEqual([]);
  const es = ds.find((d) => d.inputs.uid === 'elasticsearch');
  expect(isSecretWrapper(es?.inputs.secureJsonDataEncoded)).toBe(true);
});

test('the API token and the Elasticsearch password stay Pulumi secrets', () => {
  const provider = run.resources.find((r) => r.type === 'pulumi:providers:grafana');
  expect(isSecretWrapper(provider?.inputs.auth)).toBe(true);
  const secrets = { ...TEST_SECRETS, grafanaAuth: GRAFANA_AUTH };
  expect(run.resources.flatMap((r) => findClearSecrets(r.inputs, secrets, `${r.type}/${r.name}`))).toEqual([]);
});
