// A committed Pulumi.<stack>.yaml read without the Pulumi CLI, as the raw entries validateStackConfig takes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { PROJECT, type RawConfigEntry } from './config';

export class StackFileError extends Error {}

/**
 * Entries of the project's namespace, structured values as JSON like Pulumi hands them over. Encrypted
 * values (`secure:`) are kept only as "set"; nothing here can decrypt them, and nothing needs to.
 */
export function readStackFile(stack: string, root = process.cwd()): Record<string, RawConfigEntry> {
  const file = join(root, `Pulumi.${stack}.yaml`);
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StackFileError(code === 'ENOENT' ? `no stack file ${file} (stacks: staging, production)` : `${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (!config || typeof config !== 'object') throw new StackFileError(`${file}: has no \`config:\` mapping`);
  const entries: Record<string, RawConfigEntry> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    const secure = value && typeof value === 'object' && 'secure' in value;
    entries[name] = secure
      ? { value: 'set', secret: true }
      : { value: typeof value === 'string' ? value : JSON.stringify(value), secret: false };
  }
  return entries;
}
