// `slo render`: validate, generate, then replace the output folder's artifacts in one step.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generate } from '../generate';
import { loadSpecFile, SpecError } from '../load';
import type { Spec } from '../schema';
import { validateStackConfig } from '../../infra/config';
import { sloStackConfig } from '../../infra/sloStack';
import { readStackFile, StackFileError } from '../../infra/stackFile';
import { defaultStackConfig, type StackConfig } from '../stack';
import { CliError, parseCommandArgs, specFiles, type Command } from './command';

/** Folders `slo render` owns inside the output folder; anything else there is left alone. */
const OWNED = ['prometheus', 'alertmanager', 'grafana'];

export function loadAll(files: string[]): Spec[] {
  const specs: Spec[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      specs.push(loadSpecFile(file));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length > 0) throw new CliError(`invalid spec, nothing written:\n${errors.join('\n')}`, 1);
  const services = new Map<string, number>();
  specs.forEach((s, i) => {
    if (services.has(s.service)) throw new CliError(`${files[i]}: service \`${s.service}\` is also defined by ${files[services.get(s.service)!]}`, 1);
    services.set(s.service, i);
  });
  return specs;
}

/** Writes every file into a fresh staging folder, then swaps the owned folders in, so a failure leaves the old output whole. */
export function writeArtifacts(outDir: string, files: Array<{ path: string; content: string }>): void {
  const out = resolve(outDir);
  const staging = `${out}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const f of files) {
      const target = join(staging, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
    mkdirSync(out, { recursive: true });
    for (const folder of OWNED) {
      rmSync(join(out, folder), { recursive: true, force: true });
      if (existsSync(join(staging, folder))) renameSync(join(staging, folder), join(out, folder));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The settings a Pulumi stack deploys with, so the files match what `pulumi up` ships; embedded defaults otherwise. */
export function stackConfigFor(stack: string | undefined): StackConfig {
  if (!stack) return defaultStackConfig;
  let raw;
  try {
    raw = readStackFile(stack);
  } catch (e) {
    if (e instanceof StackFileError) throw new CliError(e.message);
    throw e;
  }
  const validation = validateStackConfig(raw, stack);
  if (!validation.ok) throw new CliError(`invalid stack configuration in Pulumi.${stack}.yaml:\n  ${validation.problems.join('\n  ')}`);
  return sloStackConfig(validation.settings);
}

export const renderCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    out: { type: 'string', short: 'o', default: 'out' },
    stack: { type: 'string' },
  });
  const stack = stackConfigFor(values.stack);
  const specs = loadAll(specFiles(positionals));
  const artifacts = generate(specs, stack);
  writeArtifacts(values.out!, artifacts.files);
  for (const f of artifacts.files) io.out.write(`wrote ${join(values.out!, f.path)}\n`);
  return 0;
};
