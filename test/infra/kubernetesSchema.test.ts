// Every Kubernetes object the program registers (both stacks, under Pulumi mocks) validates against the Kubernetes schemas.
import { runStack, stackFileConfig, unwrapSecrets, withSecrets, type Registered } from './harness';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** `kubernetes:apps/v1:Deployment` -> the kubernetes-models class for apps/v1 Deployment. */
function modelFor(type: string): ModelClass {
  const [, groupVersion, kind] = type.split(':');
  const path = groupVersion.startsWith('core/') ? groupVersion.slice('core/'.length) : groupVersion;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`kubernetes-models/${path}/${kind}`) as Record<string, ModelClass>;
  const model = mod[kind];
  if (!model) throw new Error(`kubernetes-models has no ${groupVersion} ${kind}`);
  return model;
}

const objects: Record<string, Registered[]> = {};

beforeAll(async () => {
  for (const stack of ['staging', 'production']) {
    const { config, secretKeys } = withSecrets(stackFileConfig(stack));
    const run = await runStack(stack, config, secretKeys);
    if (run.error) throw run.error;
    objects[stack] = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
  }
});

describe.each(['staging', 'production'])('%s', (stack) => {
  test('every Kubernetes object validates against its schema', () => {
    expect(objects[stack].length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const r of objects[stack]) {
      try {
        new (modelFor(r.type))(unwrapSecrets(r.inputs)).validate();
      } catch (err) {
        failures.push(`${r.type} ${r.name}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

test('the validation is strict: a malformed Deployment from the same program is rejected', () => {
  const app = objects.staging.find((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.name === 'mcp-server');
  const broken = JSON.parse(JSON.stringify(unwrapSecrets(app?.inputs))) as { spec: { replicas: unknown; template: { spec: { containers: Array<Record<string, unknown>> } } } };
  broken.spec.replicas = 'three';
  expect(() => new (modelFor('kubernetes:apps/v1:Deployment'))(broken).validate()).toThrow(/replicas/);
  const noName = JSON.parse(JSON.stringify(unwrapSecrets(app?.inputs))) as typeof broken;
  delete noName.spec.template.spec.containers[0].name;
  expect(() => new (modelFor('kubernetes:apps/v1:Deployment'))(noName).validate()).toThrow(/name/);
});
