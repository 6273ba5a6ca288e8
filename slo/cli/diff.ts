// `slo diff --base REF|FILE [FILE...]`: what the working tree's specs change against a git ref or a file,
// in meaning (SLOs, budgets, alerts, routing) and in rendered output. Exit 0 unchanged, 1 changed, 2 error.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';
import { diffArtifacts } from '../diff/artifactDiff';
import { FORMATS, formatReport, hasChanges, type DiffReport, type Format } from '../diff/report';
import { diffSpecs } from '../diff/specDiff';
import { generate } from '../generate';
import { parseSpec, SpecError } from '../load';
import type { Spec } from '../schema';
import { CliError, parseCommandArgs, SPEC_DIR, type Command, type Streams } from './command';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

interface SpecText {
  /** Shown in messages: `slo/x.yaml` or `origin/main:slo/x.yaml`. */
  label: string;
  text: string;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function discover(cwd: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(cwd, SPEC_DIR));
  } catch {
    return [];
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => posix.join(SPEC_DIR, n));
}

function readWorking(cwd: string, files: string[]): SpecText[] {
  return files.map((file) => {
    try {
      return { label: file, text: readFileSync(resolve(cwd, file), 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  });
}

async function isCommit(cwd: string, ref: string): Promise<boolean> {
  if (ref.startsWith('-')) return false;
  try {
    await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** The spec files at `ref`: the named ones (absent ones skipped: new files), or every slo/*.yaml there. */
async function readAtRef(cwd: string, ref: string, files: string[], discovered: boolean): Promise<SpecText[]> {
  let paths = files;
  if (discovered) {
    const listed = await git(cwd, ['ls-tree', '--name-only', ref, '--', `${SPEC_DIR}/`]);
    const atRef = listed.split('\n').filter((p) => /\.ya?ml$/.test(p)).map((p) => posix.join(SPEC_DIR, posix.basename(p)));
    paths = [...new Set([...files, ...atRef])].sort();
  }
  const out: SpecText[] = [];
  for (const path of paths) {
    try {
      out.push({ label: `${ref}:${path}`, text: await git(cwd, ['show', `${ref}:./${path}`]) });
    } catch {
      // The ref is known to exist, so the file is new in the working tree (or was named but never committed).
    }
  }
  return out;
}

function parseAll(texts: SpecText[]): Spec[] {
  const specs: Spec[] = [];
  const errors: string[] = [];
  for (const t of texts) {
    try {
      specs.push(parseSpec(t.text, t.label));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length > 0) throw new CliError(`invalid spec:\n${errors.join('\n')}`, 2);
  const seen = new Map<string, string>();
  specs.forEach((s, i) => {
    const other = seen.get(s.service);
    if (other) throw new CliError(`${texts[i].label}: service \`${s.service}\` is also defined by ${other}`, 2);
    seen.set(s.service, texts[i].label);
  });
  return specs;
}

/** Builds the report; `cwd` is the repository (or any folder, with a file base). */
export async function buildDiffReport(base: string, files: string[], cwd: string): Promise<DiffReport> {
  const discovered = files.length === 0;
  const working = discovered ? discover(cwd) : files;
  let baseTexts: SpecText[];
  if (isFile(resolve(cwd, base))) {
    baseTexts = [{ label: base, text: readFileSync(resolve(cwd, base), 'utf8') }];
  } else if (await isCommit(cwd, base)) {
    baseTexts = await readAtRef(cwd, base, working, discovered);
  } else {
    throw new CliError(`--base ${base}: neither a file nor a git commit here (for a branch on CI, fetch it first: git fetch origin ${base.replace(/^origin\//, '')})`);
  }
  if (working.length === 0 && baseTexts.length === 0) throw new CliError(`no spec files given and none in ${SPEC_DIR}/ on either side`);
  const before = parseAll(baseTexts);
  const after = parseAll(readWorking(cwd, working));
  return {
    base,
    changes: diffSpecs(before, after),
    artifacts: diffArtifacts(generate(before).files, generate(after).files),
  };
}

export async function runDiff(argv: string[], io: Streams, cwd: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    base: { type: 'string', short: 'b' },
    format: { type: 'string', short: 'f', default: 'text' },
  });
  if (!values.base) throw new CliError('--base REF|FILE is required (a git ref such as origin/main, or a spec file)');
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')} (got ${values.format})`);
  const report = await buildDiffReport(values.base, positionals, cwd);
  io.out.write(formatReport(report, format));
  return hasChanges(report) ? 1 : 0;
}

export const diffCommand: Command = (argv, io) => runDiff(argv, io, process.cwd());
