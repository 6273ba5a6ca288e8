// Admin CLI on the configured store: `keys create --scope read --tier pro [--name N] [--user U]`, `keys revoke ID`, `keys list`.

import { parseArgs } from 'node:util';
import { ApiKeys } from './auth/api-keys';
import { SCOPES, TIERS, type Scope, type Tier } from './auth/caller';
import { ConfigError, loadConfig } from './config';
import type { Db } from './store/db';
import { openStore } from './store/open';

const USAGE = `usage:
  cli keys create --scope read|write|admin [--tier free|pro|enterprise] [--name NAME] [--user USER_ID]
  cli keys revoke KEY_ID
  cli keys list`;

class UsageError extends Error {}

function pick<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback?: T): T {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`${flag} is required (one of ${allowed.join(', ')})`);
  }
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const [group, command, ...rest] = argv;
  if (group !== 'keys' || !command) throw new UsageError(USAGE);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { scope: { type: 'string' }, tier: { type: 'string' }, name: { type: 'string' }, user: { type: 'string' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  // Validate the arguments before opening the store: a typo must not cost a database start-up.
  let action: (keys: ApiKeys) => Promise<void>;
  if (command === 'create') {
    const scope = pick<Scope>(values.scope, SCOPES, '--scope');
    const tier = pick<Tier>(values.tier, TIERS, '--tier', 'free');
    if (values.user !== undefined && !/^[\w.@-]{1,100}$/.test(values.user)) throw new UsageError('--user must be 1-100 letters, digits or ._@-');
    action = async (keys) => {
      const { key, record } = await keys.create({ scope, tier, name: values.name, userId: values.user });
      out(`created ${record.id} (scope ${record.scope}, tier ${record.tier}, user ${record.userId})`);
      out(`key: ${key}`);
      out('Store this key now: it is shown only once.');
    };
  } else if (command === 'revoke') {
    const id = positionals[0];
    if (!id) throw new UsageError(`keys revoke needs a KEY_ID\n${USAGE}`);
    action = async (keys) => {
      if (!(await keys.revoke(id))) throw new UsageError(`no API key with id "${id}"`);
      out(`revoked ${id}`);
    };
  } else if (command === 'list') {
    action = async (keys) => {
      for (const k of await keys.list()) {
        out(`${k.id}\t${k.scope}\t${k.tier}\t${k.userId}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}\t${k.name}`);
      }
    };
  } else {
    throw new UsageError(`unknown command "keys ${command}"\n${USAGE}`);
  }
  const config = loadConfig(env);
  const db: Db = await openStore(config.database);
  try {
    await action(new ApiKeys(db));
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).catch((err: Error) => {
    const known = err instanceof UsageError || err instanceof ConfigError;
    process.stderr.write(`${known ? err.message : `error: ${err.message}`}\n`);
    process.exit(known ? 2 : 1);
  });
}
