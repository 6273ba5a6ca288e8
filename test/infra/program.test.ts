// The Pulumi program for staging and production, run under Pulumi mocks (the engine and the cluster cannot run here).
import yaml from 'js-yaml';
import { parseQuantity } from '../../infra/quantity';
import { ALERTMANAGER_SECRETS_DIR } from '../../infra/sloStack';
import { renderedFor } from './expected';
import {
  TEST_SECRETS,
  byType,
  containsSecret,
  findClearSecrets,
  one,
  registeredUrns,
  runStack,
  stackFileConfig,
  unwrapSecrets,
  withSecrets,
  type Registered,
  type StackRun,
} from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test access to mock inputs

const runs: Record<string, StackRun & { urns: string[] }> = {};

beforeAll(async () => {
  for (const stack of ['staging', 'production']) {
    const { config, secretKeys } = withSecrets(stackFileConfig(stack));
    const run = await runStack(stack, config, secretKeys);
    if (run.error) throw run.error;
    runs[stack] = { ...run, urns: registeredUrns() };
  }
});

const k8sNames = (rs: Registered[]) =>
  rs
    .filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:core/v1:Namespace'))
    .map((r) => `${r.type.split(':')[2]}/${(r.inputs.metadata as Json).name}`)
    .sort();

function podSpecs(rs: Registered[]): Array<{ owner: string; longRunning: boolean; spec: Json }> {
  const out: Array<{ owner: string; longRunning: boolean; spec: Json }> = [];
  for (const r of rs) {
    const inputs = unwrapSecrets(r.inputs) as Json;
    const owner = `${r.type.split(':')[2]}/${inputs.metadata?.name}`;
    if (/apps\/v1:(Deployment|StatefulSet)$/.test(r.type)) out.push({ owner, longRunning: true, spec: inputs.spec.template.spec });
    if (r.type.endsWith('batch/v1:CronJob')) out.push({ owner, longRunning: false, spec: inputs.spec.jobTemplate.spec.template.spec });
  }
  return out;
}

describe.each(['staging', 'production'])('%s stack', (stack) => {
  const run = () => runs[stack];

  test('registers the whole observability stack', () => {
    expect(k8sNames(run().resources)).toEqual(
      [
        'ConfigMap/alertmanager-config',
        'ConfigMap/elasticsearch-retention',
        'ConfigMap/grafana-dashboard-provider',
        'ConfigMap/grafana-dashboards',
        'ConfigMap/grafana-datasources',
        'ConfigMap/jaeger-config',
        'ConfigMap/prometheus-config',
        'ConfigMap/prometheus-rules',
        'CronJob/elasticsearch-retention',
        'CronJob/jaeger-index-cleaner',
        'Deployment/digital-twin-mcp',
        'Deployment/grafana',
        'Deployment/jaeger',
        'HorizontalPodAutoscaler/digital-twin-mcp',
        'Ingress/digital-twin-mcp',
        'Ingress/grafana',
        'PodDisruptionBudget/digital-twin-mcp',
        'RoleBinding/prometheus-discovery',
        'Secret/alertmanager-receivers',
        'Secret/digital-twin-mcp-secrets',
        'Secret/elasticsearch-credentials',
        'Secret/grafana-admin',
        'Service/alertmanager',
        'Service/digital-twin-mcp',
        'Service/elasticsearch',
        'Service/elasticsearch-nodes',
        'Service/grafana',
        'Service/jaeger',
        'Service/prometheus',
        'ServiceAccount/elasticsearch',
        'ServiceAccount/prometheus',
        'StatefulSet/alertmanager',
        'StatefulSet/elasticsearch',
        'StatefulSet/prometheus',
        `ClusterRole/prometheus-${stack === 'production' ? 'digital-twin' : 'digital-twin-staging'}-discovery`,
      ].sort(),
    );
  });

  test('every resource but the namespace and its provider is the child of a component', () => {
    const loose = run()
      .urns.filter((urn) => !/::(kubernetes:core\/v1:Namespace|pulumi:providers:kubernetes)::/.test(urn))
      .filter((urn) => !/::digital-twin-observability:index:\w+::/.test(urn)) // the components themselves
      .filter((urn) => !/::digital-twin-observability:index:\w+\$/.test(urn));
    expect(loose).toEqual([]);
  });

  test('every container has requests and limits; every long-running container has liveness and readiness probes', () => {
    const pods = podSpecs(run().resources);
    expect(pods.length).toBeGreaterThanOrEqual(7);
    for (const { owner, longRunning, spec } of pods) {
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const k of ['requests', 'limits']) for (const r of ['cpu', 'memory']) expect([owner, c.name, k, r, c.resources?.[k]?.[r]]).not.toContain(undefined);
      }
      if (longRunning) {
        for (const c of spec.containers) {
          expect([owner, c.name, Boolean(c.livenessProbe), Boolean(c.readinessProbe)]).toEqual([owner, c.name, true, true]);
        }
      }
    }
  });

  test('every main container runs non-root on a read-only root filesystem with all capabilities dropped', () => {
    for (const { owner, spec } of podSpecs(run().resources)) {
      for (const c of spec.containers) {
        expect([owner, c.name, c.securityContext]).toEqual([
          owner,
          c.name,
          expect.objectContaining({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }),
        ]);
      }
    }
  });

  test('the rules ConfigMap holds exactly the rule files `slo render` writes for this stack', () => {
    const expected = renderedFor(stack).files.filter((f) => f.path.startsWith('prometheus/rules/'));
    expect(expected.length).toBeGreaterThan(0);
    const data = one(run().resources, 'kubernetes:core/v1:ConfigMap', 'prometheus-rules').data as Record<string, string>;
    expect(data).toEqual(Object.fromEntries(expected.map((f) => [f.path.split('/').pop(), f.content])));
  });

  test('the dashboards ConfigMap holds exactly the rendered dashboards', () => {
    const expected = renderedFor(stack).files.filter((f) => f.path.startsWith('grafana/dashboards/'));
    const data = one(run().resources, 'kubernetes:core/v1:ConfigMap', 'grafana-dashboards').data as Record<string, string> | undefined;
    expect(data ?? {}).toEqual(Object.fromEntries(expected.map((f) => [f.path.split('/').pop(), f.content])));
  });

  test('Alertmanager gets the rendered config and a Secret with every file it references, mounted at secretsDir', () => {
    const rendered = renderedFor(stack).files.find((f) => f.path === 'alertmanager/alertmanager.yml');
    const cm = one(run().resources, 'kubernetes:core/v1:ConfigMap', 'alertmanager-config');
    expect(cm.data).toEqual({ 'alertmanager.yml': rendered?.content });
    const referenced = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith(`${ALERTMANAGER_SECRETS_DIR}/`)) referenced.add(v.slice(ALERTMANAGER_SECRETS_DIR.length + 1));
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(yaml.load(rendered?.content ?? ''));
    expect(referenced.size).toBeGreaterThanOrEqual(3);
    const secret = one(run().resources, 'kubernetes:core/v1:Secret', 'alertmanager-receivers');
    expect(Object.keys(secret.stringData as Json).sort()).toEqual([...referenced].sort());
    const sts = one(run().resources, 'kubernetes:apps/v1:StatefulSet', 'alertmanager') as Json;
    const mount = sts.spec.template.spec.containers[0].volumeMounts.find((m: Json) => m.name === 'receivers');
    expect(mount.mountPath).toBe(ALERTMANAGER_SECRETS_DIR);
  });

  test('Prometheus discovers the app pods by the labels and annotations the app Deployment carries', () => {
    const prom = yaml.load((one(run().resources, 'kubernetes:core/v1:ConfigMap', 'prometheus-config').data as Json)['prometheus.yml']) as Json;
    const job = prom.scrape_configs.find((j: Json) => j.job_name === 'digital-twin-mcp');
    const ns = stack === 'production' ? 'digital-twin' : 'digital-twin-staging';
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: [ns] } }]);
    const app = one(run().resources, 'kubernetes:apps/v1:Deployment', 'digital-twin-mcp') as Json;
    const podLabels = app.spec.template.metadata.labels;
    const keepName = job.relabel_configs.find((r: Json) => r.source_labels[0] === '__meta_kubernetes_pod_label_app_kubernetes_io_name');
    expect(new RegExp(`^${keepName.regex}$`).test(podLabels['app.kubernetes.io/name'])).toBe(true);
    const annotations = app.spec.template.metadata.annotations;
    expect(annotations['prometheus.io/scrape']).toBe('true');
    expect(Number(annotations['prometheus.io/port'])).toBe(app.spec.template.spec.containers[0].ports[0].containerPort);
    expect(prom.rule_files).toEqual(['/etc/prometheus/rules/*.yaml']);
    const sts = one(run().resources, 'kubernetes:apps/v1:StatefulSet', 'prometheus') as Json;
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: 'rules', mountPath: '/etc/prometheus/rules' }));
  });

  test('the app is wired to Jaeger (OTLP/HTTP 4318), Elasticsearch, and its secrets by reference only', () => {
    const app = one(run().resources, 'kubernetes:apps/v1:Deployment', 'digital-twin-mcp') as Json;
    const env = Object.fromEntries(app.spec.template.spec.containers[0].env.map((e: Json) => [e.name, e.value ?? e.valueFrom]));
    const ns = stack === 'production' ? 'digital-twin' : 'digital-twin-staging';
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(`http://jaeger.${ns}.svc.cluster.local:4318`);
    expect(env.ELASTICSEARCH_URL).toBe(`http://elasticsearch.${ns}.svc.cluster.local:9200`);
    expect(env.PORT).toBe('8080');
    for (const key of ['GROQ_API_KEY', 'DATABASE_URL', 'REDIS_URL', 'SENTRY_DSN', 'ELASTICSEARCH_PASSWORD', 'ALERT_WEBHOOK_TOKEN', 'ADMIN_API_KEY']) {
      expect(env[key]).toEqual({ secretKeyRef: { name: 'digital-twin-mcp-secrets', key } });
    }
    const probes = app.spec.template.spec.containers[0];
    expect(probes.livenessProbe.httpGet.path).toBe('/health/liveness');
    expect(probes.readinessProbe.httpGet.path).toBe('/health/readiness');
  });

  test('Jaeger receives OTLP on 4317 and 4318 on all interfaces and stores in Elasticsearch', () => {
    const cfg = yaml.load((one(run().resources, 'kubernetes:core/v1:ConfigMap', 'jaeger-config').data as Json)['config.yaml']) as Json;
    expect(cfg.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } });
    expect(cfg.extensions.jaeger_storage.backends.elasticsearch.elasticsearch.server_urls[0]).toMatch(/^http:\/\/elasticsearch\./);
    const svc = one(run().resources, 'kubernetes:core/v1:Service', 'jaeger') as Json;
    expect(svc.spec.ports.map((p: Json) => p.port)).toEqual(expect.arrayContaining([4317, 4318]));
  });

  test('no secret value appears in clear in any resource, output or rendered file; each one reaches a Secret', () => {
    const leaks = run().resources.flatMap((r) => findClearSecrets(r.inputs, TEST_SECRETS, `${r.type}/${r.name}`));
    expect(leaks).toEqual([]);
    expect(findClearSecrets(run().outputs, TEST_SECRETS, 'outputs')).toEqual([]);
    for (const f of renderedFor(stack).files) expect(findClearSecrets(f.content, TEST_SECRETS, f.path)).toEqual([]);
    const secrets = byType(run().resources, 'kubernetes:core/v1:Secret');
    for (const [key, value] of Object.entries(TEST_SECRETS)) {
      const holders = run().resources.filter((r) => containsSecret(r.inputs, value)).map((r) => r.type);
      expect([key, holders.length > 0]).toEqual([key, true]);
      expect([key, holders.every((t) => t === 'kubernetes:core/v1:Secret')]).toEqual([key, true]);
    }
    expect(secrets).toHaveLength(4);
  });
});

describe('production against staging', () => {
  const get = (stack: string, type: string, name: string) => one(runs[stack].resources, type, name) as Json;
  const claim = (stack: string, name: string) => parseQuantity(get(stack, 'kubernetes:apps/v1:StatefulSet', name).spec.volumeClaimTemplates[0].spec.resources.requests.storage);

  test('only production has the AWS archive: bucket encrypted, versioned, private, with lifecycle rules, and an IRSA role', () => {
    const aws = (stack: string) => runs[stack].resources.filter((r) => r.type.startsWith('aws:')).map((r) => r.type).sort();
    expect(aws('staging')).toEqual([]);
    expect(aws('production')).toEqual([
      'aws:iam/role:Role',
      'aws:iam/rolePolicy:RolePolicy',
      'aws:s3/bucket:Bucket',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
      'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
      'aws:s3/bucketPolicy:BucketPolicy',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      'aws:s3/bucketVersioning:BucketVersioning',
    ]);
    const input = (type: string) => runs.production.resources.find((r) => r.type === type)?.inputs as Json;
    expect(input('aws:s3/bucketVersioning:BucketVersioning').versioningConfiguration.status).toBe('Enabled');
    expect(input('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe('aws:kms');
    expect(input('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')).toEqual(
      expect.objectContaining({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    );
    const rules = input('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').rules.map((r: Json) => r.filter.prefix);
    expect(rules).toEqual(['snapshots/', 'log-archives/']);
    const trust = JSON.parse(input('aws:iam/role:Role').assumeRolePolicy);
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:digital-twin:elasticsearch',
      'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
    });
    const policy = JSON.parse(input('aws:iam/rolePolicy:RolePolicy').policy);
    const objectStatement = policy.Statement.find((s: Json) => s.Sid === 'ReadWriteArchiveObjects');
    expect(objectStatement.Resource).toEqual(['arn:aws:s3:::archive-bucket/snapshots/*', 'arn:aws:s3:::archive-bucket/log-archives/*']);
    expect(JSON.stringify(policy)).not.toContain('"*"');
    const sa = get('production', 'kubernetes:core/v1:ServiceAccount', 'elasticsearch');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/archive');
  });

  test('production runs more app replicas and allows more scale-out', () => {
    const replicas = (s: string) => get(s, 'kubernetes:apps/v1:Deployment', 'digital-twin-mcp').spec.replicas;
    const max = (s: string) => get(s, 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'digital-twin-mcp').spec.maxReplicas;
    expect(replicas('production')).toBeGreaterThan(replicas('staging'));
    expect(replicas('production')).toBeGreaterThanOrEqual(2);
    expect(max('production')).toBeGreaterThan(max('staging'));
  });

  test('production has larger volumes and longer retention for metrics, logs and spans', () => {
    for (const sts of ['prometheus', 'elasticsearch']) expect(claim('production', sts)).toBeGreaterThan(claim('staging', sts));
    const days = (s: string) => {
      const args: string[] = get(s, 'kubernetes:apps/v1:StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
      return Number(/retention\.time=(\d+)d/.exec(args.join(' '))?.[1]);
    };
    expect(days('production')).toBeGreaterThan(days('staging'));
    const logs = (s: string) => JSON.parse(get(s, 'kubernetes:core/v1:ConfigMap', 'elasticsearch-retention').data['logs-ilm.json']).policy.phases.delete.min_age;
    expect(Number.parseInt(logs('production'), 10)).toBeGreaterThan(Number.parseInt(logs('staging'), 10));
    const spans = (s: string) => Number(get(s, 'kubernetes:batch/v1:CronJob', 'jaeger-index-cleaner').spec.jobTemplate.spec.template.spec.containers[0].args[0]);
    expect(spans('production')).toBeGreaterThan(spans('staging'));
  });

  test('production gets more CPU and memory for the app, Prometheus and Elasticsearch', () => {
    const limits = (s: string, type: string, name: string) => get(s, type, name).spec.template.spec.containers[0].resources.limits;
    for (const [type, name] of [
      ['kubernetes:apps/v1:Deployment', 'digital-twin-mcp'],
      ['kubernetes:apps/v1:StatefulSet', 'prometheus'],
      ['kubernetes:apps/v1:StatefulSet', 'elasticsearch'],
    ]) {
      const p = limits('production', type, name);
      const st = limits('staging', type, name);
      expect([name, parseQuantity(p.cpu) > parseQuantity(st.cpu), parseQuantity(p.memory) > parseQuantity(st.memory)]).toEqual([name, true, true]);
    }
  });
});
