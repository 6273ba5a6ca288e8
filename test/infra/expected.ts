// What `slo render` produces for a stack: generate() on the specs and the stack's StackConfig, computed independently.
import path from 'node:path';
import { validateStackConfig, type RawConfigEntry, type StackSettings } from '../../infra/config';
import { sloStackConfig } from '../../infra/sloStack';
import { generate, type Artifacts } from '../../slo/generate';
import { loadSpecFile } from '../../slo/load';
import { PROJECT, stackFileConfig } from './harness';

export function stackSettings(stack: string): StackSettings {
  const raw: Record<string, RawConfigEntry> = {};
  for (const [k, value] of Object.entries(stackFileConfig(stack))) {
    if (k.startsWith(`${PROJECT}:`)) raw[k.slice(PROJECT.length + 1)] = { value, secret: false };
  }
  const result = validateStackConfig(raw, stack);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.settings;
}

export function renderedFor(stack: string): Artifacts {
  const settings = stackSettings(stack);
  const specs = settings.specFiles.map((f) => loadSpecFile(path.resolve(__dirname, '..', '..', f)));
  return generate(specs, sloStackConfig(settings));
}
