// `slo import --from sloth|openslo FILE [--out FILE]`: a foreign SLO spec as ours, written only when all of it maps.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { SpecError } from '../load';
import { importOpenSlo } from '../interop/openslo';
import type { ImportResult } from '../interop/ourSpec';
import { importSloth } from '../interop/sloth';
import { CliError, parseCommandArgs, type Command } from './command';

const IMPORTERS: Record<string, (text: string, file: string) => ImportResult> = {
  sloth: importSloth,
  openslo: importOpenSlo,
};

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
export function writeWhole(path: string, content: string): void {
  const staging = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(staging, content);
    renameSync(staging, path);
  } catch (e) {
    rmSync(staging, { force: true });
    throw new CliError(`${path}: cannot write (${(e as Error).message})`, 1);
  }
}

export const importCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, { from: { type: 'string' }, out: { type: 'string', short: 'o' } });
  const importer = values.from ? IMPORTERS[values.from] : undefined;
  if (!importer) throw new CliError(`--from must be one of ${Object.keys(IMPORTERS).join(', ')}${values.from ? ` (got ${values.from})` : ''}`);
  if (positionals.length !== 1) throw new CliError(`name exactly one ${values.from} file to import`);
  const file = positionals[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`, 1);
  }
  let result: ImportResult;
  try {
    result = importer(text, file);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new CliError(`cannot import, nothing written:\n${e.message}`, 1);
  }
  if (values.out) {
    writeWhole(values.out, result.yaml);
    io.err.write(`wrote ${values.out} (${result.spec.slos.length} SLOs)\n`);
  } else {
    io.out.write(result.yaml);
  }
  if (result.notes.length > 0) io.err.write(`not carried over, or filled in:\n${result.notes.map((n) => `  - ${n}`).join('\n')}\n`);
  return 0;
};
