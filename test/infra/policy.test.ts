// The policy pack's rules, called directly (the Pulumi CLI that would run the pack is not available here).
import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { noPlaintextSecrets, policies, requireLimits, requireNonRoot, requireProbes, secretLike } from '../../infra/policy/policies';
import { PRIVILEGED_INIT_ANNOTATION } from '../../infra/components/workload';
import { runStack, stackFileConfig, unwrapSecrets, withSecrets } from './harness';

type Json = Record<string, unknown>;

function args(type: string, props: Json, name = 'subject'): ResourceValidationArgs {
  return {
    type,
    props,
    urn: `urn:pulumi:test::digital-twin-observability::${type}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => ({}) as never,
  } as unknown as ResourceValidationArgs;
}

async function violations(policy: ResourceValidationPolicy, type: string, props: Json): Promise<string[]> {
  const found: string[] = [];
  const validate = policy.validateResource;
  const fns = Array.isArray(validate) ? validate : validate ? [validate] : [];
  for (const fn of fns) await fn(args(type, props), (message) => found.push(message));
  return found;
}

const goodContainer = () => ({
  name: 'server',
  image: 'ghcr.io/acme/app:1.0.0',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  livenessProbe: { httpGet: { path: '/health/liveness', port: 8080 } },
  readinessProbe: { httpGet: { path: '/health/readiness', port: 8080 } },
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
  env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'GROQ_API_KEY', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
});

function deployment(container: Json, pod: Json = {}, annotations: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' }, annotations }, spec: { containers: [container], ...pod } } },
  };
}
const DEPLOYMENT = 'kubernetes:apps/v1:Deployment';

test('a well-formed Deployment passes every policy', async () => {
  for (const p of policies) expect([p.name, await violations(p, DEPLOYMENT, deployment(goodContainer()))]).toEqual([p.name, []]);
});

test('missing limits are rejected, naming the container and the field', async () => {
  const c = { ...goodContainer(), resources: { requests: { cpu: '100m', memory: '128Mi' } } };
  expect(await violations(requireLimits, DEPLOYMENT, deployment(c))).toEqual([
    'Deployment container "server" has no limits.cpu',
    'Deployment container "server" has no limits.memory',
  ]);
});

test('a CronJob container without limits is rejected too', async () => {
  const c = { ...goodContainer(), resources: undefined };
  const cron = { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [c] } } } } } };
  expect(await violations(requireLimits, 'kubernetes:batch/v1:CronJob', cron)).toHaveLength(4);
});

test('missing probes are rejected on long-running workloads, not on Jobs', async () => {
  const { livenessProbe: _l, readinessProbe: _r, ...c } = goodContainer();
  expect(await violations(requireProbes, DEPLOYMENT, deployment(c))).toEqual([
    'Deployment container "server" has no livenessProbe',
    'Deployment container "server" has no readinessProbe',
  ]);
  const job = { spec: { template: { spec: { containers: [c] } } } };
  expect(await violations(requireProbes, 'kubernetes:batch/v1:Job', job)).toEqual([]);
});

test('root, privileged or escalating containers are rejected', async () => {
  const root = { ...goodContainer(), securityContext: { runAsUser: 0, allowPrivilegeEscalation: false } };
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(root))).toEqual(['Deployment container "server" may run as root: set runAsNonRoot: true']);
  const privileged = { ...goodContainer(), securityContext: { runAsNonRoot: true, privileged: true, allowPrivilegeEscalation: false } };
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(privileged))).toEqual(['Deployment container "server" is privileged']);
  const escalating = { ...goodContainer(), securityContext: { runAsNonRoot: true } };
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(escalating))).toEqual(['Deployment container "server" must set allowPrivilegeEscalation: false']);
});

test('a pod-level runAsNonRoot covers containers that do not override it', async () => {
  const c = { ...goodContainer(), securityContext: { allowPrivilegeEscalation: false } };
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(c, { securityContext: { runAsNonRoot: true, runAsUser: 1000 } }))).toEqual([]);
});

test('a privileged init container passes only when the pod names it in the exemption annotation', async () => {
  const init = { name: 'max-map-count', image: 'busybox', securityContext: { privileged: true, runAsUser: 0 } };
  const pod = { initContainers: [init] };
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(goodContainer(), pod))).toHaveLength(3);
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(goodContainer(), pod, { [PRIVILEGED_INIT_ANNOTATION]: 'max-map-count' }))).toEqual([]);
  // The annotation exempts init containers only, never the main ones.
  const rootMain = { ...goodContainer(), securityContext: { privileged: true } };
  expect(await violations(requireNonRoot, DEPLOYMENT, deployment(rootMain, {}, { [PRIVILEGED_INIT_ANNOTATION]: 'server' }))).not.toEqual([]);
});

test('secrets in env values or ConfigMap data are rejected', async () => {
  const named = { ...goodContainer(), env: [{ name: 'GROQ_API_KEY', value: 'anything' }] };
  expect(await violations(noPlaintextSecrets, DEPLOYMENT, deployment(named))).toEqual([
    'Deployment container "server" sets GROQ_API_KEY in clear; use valueFrom.secretKeyRef',
  ]);
  const disguised = { ...goodContainer(), env: [{ name: 'UPSTREAM', value: 'postgres://twin:hunter2@db:5432/twin' }] };
  expect(await violations(noPlaintextSecrets, DEPLOYMENT, deployment(disguised))).toEqual([
    'Deployment container "server" env UPSTREAM holds a URL with a password in it; use valueFrom.secretKeyRef',
  ]);
  const cm = { data: { 'alertmanager.yml': 'slack_api_url: https://hooks.slack.com/services/T00/B00/XXXX', 'ok.yaml': 'a: b' } };
  expect(await violations(noPlaintextSecrets, 'kubernetes:core/v1:ConfigMap', cm)).toEqual([
    'ConfigMap key "alertmanager.yml" holds a Slack webhook URL; put it in a Secret',
  ]);
});

test.each([
  ['gsk_abcdefghijklmnop', 'a Groq API key'],
  ['AKIAABCDEFGHIJKLMNOP', 'an AWS access key id'],
  ['https://0123456789abcdef0123@o1.ingest.sentry.io/1', 'a Sentry DSN'],
  ['-----BEGIN RSA PRIVATE KEY-----', 'a private key'],
  ['http://prometheus:9090', undefined],
  ['$ELASTICSEARCH_PASSWORD', undefined],
])('secretLike(%j) is %s', (value, expected) => {
  expect(secretLike(value)).toBe(expected);
});

test('every resource the program registers, in both stacks, passes the whole pack', async () => {
  for (const stack of ['staging', 'production']) {
    const { config, secretKeys } = withSecrets(stackFileConfig(stack));
    const run = await runStack(stack, config, secretKeys);
    const found: string[] = [];
    for (const r of run.resources) {
      for (const p of policies) {
        const fns = Array.isArray(p.validateResource) ? p.validateResource : p.validateResource ? [p.validateResource] : [];
        for (const fn of fns) await fn(args(r.type, unwrapSecrets(r.inputs) as Json, r.name), (m) => found.push(`${stack} ${r.type} ${r.name}: ${m}`));
      }
    }
    expect(found).toEqual([]);
  }
});
