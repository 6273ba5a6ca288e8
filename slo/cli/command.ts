// What every `slo` subcommand shares: its signature, its error type, argument parsing and spec discovery.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export type Command = (argv: string[], io: Streams) => Promise<number>;

/** An expected failure: the message is printed as is, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export const SPEC_DIR = 'slo';

/** The given files, or every `*.yaml` spec in slo/ when none is given. */
export function specFiles(positionals: string[]): string[] {
  if (positionals.length > 0) return positionals;
  let names: string[];
  try {
    names = readdirSync(SPEC_DIR);
  } catch {
    throw new CliError(`no spec files given and no ${SPEC_DIR}/ folder here; run from the repository root or name the files`);
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(SPEC_DIR, n));
  if (files.length === 0) throw new CliError(`no spec files in ${SPEC_DIR}/`);
  return files;
}
