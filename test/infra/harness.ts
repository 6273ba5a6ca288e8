// Runs the Pulumi program under Pulumi's mocks (no CLI, no cluster, no AWS) and records every registered resource.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import yaml from 'js-yaml';

export const PROJECT = 'digital-twin-observability';
const REPO = path.resolve(__dirname, '..', '..');

// Both are exported by the SDK at run time but marked internal in its typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require('@pulumi/pulumi/runtime/rpc') as { specialSigKey: string; specialSecretSig: string };

export interface Registered {
  type: string;
  name: string;
  /** Inputs as the engine would receive them; Pulumi secrets appear as `{ [sigKey]: secretSig, value }`. */
  inputs: Record<string, unknown>;
}

/** Distinctive test values: a scan for them anywhere outside a Pulumi secret finds a leak. */
export const TEST_SECRETS: Record<string, string> = {
  groqApiKey: 'gsk_test_groq_5d1f0c2a9b',
  sentryDsn: 'https://c0ffee1234@o42.ingest.sentry.io/4242',
  slackWebhookUrl: 'https://hooks.slack.com/services/T000/B000/slacktest77',
  pagerdutyRoutingKey: 'pd_routing_test_8e8e8e8e',
  smtpPassword: 'smtp-pass-test-31337',
  elasticsearchPassword: 'es-pass-test-90210',
  alertWebhookToken: 'alert-token-test-4c4c4c',
  adminApiKey: 'admin-key-test-7a7a7a',
  databaseUrl: 'postgres://twin:db-pass-test-6161@postgres:5432/twin',
  redisUrl: 'redis://:redis-pass-test-2323@redis:6379/0',
  grafanaAdminPassword: 'grafana-admin-test-5151',
};

/** The `config:` block of Pulumi.<stack>.yaml as the CLI hands it to a program: every value a string. */
export function stackFileConfig(stack: string): Record<string, string> {
  const doc = yaml.load(readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

export function withSecrets(config: Record<string, string>, secrets: Record<string, string> = TEST_SECRETS): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const all = { ...config };
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(secrets)) {
    all[`${PROJECT}:${k}`] = v;
    secretKeys.push(`${PROJECT}:${k}`);
  }
  return { config: all, secretKeys };
}

function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'aws:s3/bucket:Bucket':
      return { ...inputs, bucket: `${name}-bucket`, arn: `arn:aws:s3:::${name}-bucket` };
    case 'aws:iam/role:Role':
      return { ...inputs, arn: `arn:aws:iam::123456789012:role/${name}` };
    default:
      return inputs;
  }
}

export interface StackRun {
  resources: Registered[];
  outputs: Record<string, unknown>;
  error?: unknown;
}

/** Runs the program for `stack` with the given config (full `project:key` names) and waits for every registration. */
export async function runStack(stack: string, config: Record<string, string>, secretKeys: string[]): Promise<StackRun> {
  const resources: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs as Record<string, unknown>) };
      },
      call(args) {
        return args.inputs;
      },
    },
    PROJECT,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  // Required only after the mocks are in place, as Pulumi's testing guide asks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { deployStack } = require('../../infra/program') as typeof import('../../infra/program');
  let outputs: Record<string, unknown> = {};
  let error: unknown;
  try {
    const result = deployStack();
    outputs = (await resolve(result)) as Record<string, unknown>;
  } catch (err) {
    error = err;
  }
  await settings.waitForRPCs();
  return { resources, outputs, error };
}

/** Resolves every Output in a value, keeping whether it was secret. */
async function resolve(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const out = value as pulumi.Output<unknown>;
    const [inner, secret] = await Promise.all([
      new Promise((res) => out.apply((v) => res(v))),
      (out as unknown as { isSecret: Promise<boolean> }).isSecret,
    ]);
    return secret ? { [rpc.specialSigKey]: rpc.specialSecretSig, value: inner } : inner;
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolve));
  if (value && typeof value === 'object') {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return !!value && typeof value === 'object' && (value as Record<string, unknown>)[rpc.specialSigKey] === rpc.specialSecretSig;
}

/** The value with Pulumi secret wrappers replaced by what they hold: the object the provider would send. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export interface Leak {
  where: string;
  secret: string;
}

/** Every place a secret value appears in clear, that is outside a Pulumi secret. */
export function findClearSecrets(value: unknown, secrets: Record<string, string>, where: string): Leak[] {
  if (isSecretWrapper(value)) return [];
  if (typeof value === 'string') {
    return Object.entries(secrets)
      .filter(([, v]) => value.includes(v))
      .map(([k]) => ({ where, secret: k }));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findClearSecrets(v, secrets, `${where}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => findClearSecrets(v, secrets, `${where}.${k}`));
  }
  return [];
}

/** Whether a secret value appears anywhere, wrapped or not. */
export function containsSecret(value: unknown, secret: string): boolean {
  return JSON.stringify(unwrapSecrets(value)).includes(secret);
}

export function byType(resources: Registered[], type: string): Registered[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: Registered[], type: string, metadataName: string): Record<string, unknown> {
  const found = resources.filter((r) => r.type === type && (r.inputs.metadata as { name?: string } | undefined)?.name === metadataName);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${metadataName}, found ${found.length}`);
  return unwrapSecrets(found[0].inputs) as Record<string, unknown>;
}

/** URNs of everything the mock engine registered: the parent chain is encoded in each URN's type part. */
export function registeredUrns(): string[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return [...monitor.getRegisteredResources().keys()];
}
