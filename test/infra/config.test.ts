// A bad stack config stops the program with one clear message per bad key, before any resource is registered.
import { validateStackConfig, type RawConfigEntry } from '../../infra/config';
import { PROJECT, TEST_SECRETS, runStack, stackFileConfig, withSecrets } from './harness';

function stagingWith(change: (config: Record<string, string>) => void, secrets = TEST_SECRETS) {
  const base = stackFileConfig('staging');
  change(base);
  return withSecrets(base, secrets);
}

async function failure(change: (config: Record<string, string>) => void, secrets = TEST_SECRETS): Promise<{ message: string; registered: number }> {
  const { config, secretKeys } = stagingWith(change, secrets);
  const run = await runStack('staging', config, secretKeys);
  expect(run.error).toBeDefined();
  return { message: (run.error as Error).message, registered: run.resources.length };
}

describe('bad stack configs stop the program before any resource (Pulumi mocks)', () => {
  test('missing image', async () => {
    const { message, registered } = await failure((c) => delete c[`${PROJECT}:image`]);
    expect(message).toBe(`invalid stack configuration:\n  ${PROJECT}:image: is required: the container image to deploy`);
    expect(registered).toBe(0);
  });

  test('negative replicas', async () => {
    const { message, registered } = await failure((c) => (c[`${PROJECT}:replicas`] = '-2'));
    expect(message).toContain(`${PROJECT}:replicas: must be >= 1 (got -2)`);
    expect(registered).toBe(0);
  });

  test('metrics retention shorter than an SLO window', async () => {
    const { message, registered } = await failure((c) => (c[`${PROJECT}:retention`] = JSON.stringify({ metrics: '15d' })));
    expect(message).toContain(`${PROJECT}:retention.metrics: 15d is shorter than the 30d window of SLO digital-twin-mcp/availability plus 1d; set it to at least 31d`);
    expect(registered).toBe(0);
  });

  test('unknown keys, top-level and nested', async () => {
    const { message, registered } = await failure((c) => {
      c[`${PROJECT}:replicaCount`] = '3';
      c[`${PROJECT}:storage`] = JSON.stringify({ prometheus: '10Gi', elasticserch: '20Gi' });
    });
    expect(message).toContain(`${PROJECT}:replicaCount: unknown key`);
    expect(message).toContain(`${PROJECT}:storage.elasticserch: unknown key`);
    expect(registered).toBe(0);
  });

  test('every problem is reported at once, one line each', async () => {
    const { message } = await failure((c) => {
      delete c[`${PROJECT}:image`];
      c[`${PROJECT}:replicas`] = '0';
      c[`${PROJECT}:retention`] = JSON.stringify({ spans: 'a week' });
    });
    expect(message.split('\n').slice(1)).toEqual([
      `  ${PROJECT}:image: is required: the container image to deploy`,
      `  ${PROJECT}:replicas: must be >= 1 (got 0)`,
      `  ${PROJECT}:retention.spans: must be a whole number of days such as 7d (got "a week")`,
    ]);
  });

  test('a required secret that is not set', async () => {
    const { groqApiKey: _omit, ...rest } = TEST_SECRETS;
    const { message, registered } = await failure(() => undefined, rest);
    expect(message).toBe(`invalid stack configuration:\n  ${PROJECT}:groqApiKey: is required (pulumi config set --secret groqApiKey <value>)`);
    expect(registered).toBe(0);
  });

  test('a secret stored in clear is refused and its value is not echoed', async () => {
    const { sentryDsn, ...rest } = TEST_SECRETS;
    const { message, registered } = await failure((c) => (c[`${PROJECT}:sentryDsn`] = sentryDsn), rest);
    expect(message).toContain(`${PROJECT}:sentryDsn: must be set as a secret`);
    expect(message).not.toContain('c0ffee1234');
    expect(registered).toBe(0);
  });

  test('the error is a RunError, so the CLI prints the message without a stack trace', async () => {
    const { config, secretKeys } = stagingWith((c) => delete c[`${PROJECT}:image`]);
    const run = await runStack('staging', config, secretKeys);
    expect((run.error as { __pulumiRunError?: boolean }).__pulumiRunError).toBe(true);
  });
});

describe('validateStackConfig (pure)', () => {
  const entries = (o: Record<string, unknown>): Record<string, RawConfigEntry> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { value: typeof v === 'string' ? v : JSON.stringify(v), secret: false }]));
  const minimal = { environment: 'staging', image: 'ghcr.io/acme/app:1.0.0', replicas: 1, maxReplicas: 2 };

  test('a minimal config gets every default', () => {
    const result = validateStackConfig(entries(minimal), 'staging');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.namespace).toBe('digital-twin');
    expect(result.settings.resources.app.limits.memory).toBe('512Mi');
    expect(result.settings.retention).toEqual({ metrics: '31d', logs: '14d', spans: '7d' });
  });

  test.each([
    [{ image: 'ghcr.io/acme/app:latest' }, 'image: must pin a version'],
    [{ image: 'ghcr.io/acme/app' }, 'image: must be an image reference with a tag or digest'],
    [{ maxReplicas: 0 }, 'maxReplicas: must be >= 1'],
    [{ replicas: 3, maxReplicas: 2 }, 'maxReplicas: must be >= replicas (3) (got 2)'],
    [{ resources: { app: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } } }, 'resources.app.requests.cpu: must not exceed limits.cpu (1) (got "2")'],
    [{ storage: { prometheus: 'ten gigs' } }, 'storage.prometheus: must be a Kubernetes quantity'],
    [{ aws: { enabled: true, oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/x' } }, 'aws.enabled: AWS archiving is for production only'],
    [{ grafana: { mode: 'api' } }, 'grafana.apiUrl: is required when grafana.mode is api'],
    [{ environment: 'production' }, 'environment: must match the stack name staging'],
  ])('%j is refused with "%s"', (change, expected) => {
    const result = validateStackConfig(entries({ ...minimal, ...change }), 'staging');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toContain(`${PROJECT}:${expected}`);
  });

  test('both committed stack files are valid', () => {
    for (const stack of ['staging', 'production']) {
      const raw: Record<string, RawConfigEntry> = {};
      for (const [k, value] of Object.entries(stackFileConfig(stack))) {
        if (k.startsWith(`${PROJECT}:`)) raw[k.slice(PROJECT.length + 1)] = { value, secret: false };
      }
      const result = validateStackConfig(raw, stack);
      expect(result.ok ? [] : result.problems).toEqual([]);
    }
  });
});
