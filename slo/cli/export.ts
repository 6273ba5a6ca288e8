// `slo export --to openslo [FILE...] [--out FILE]`: our specs as OpenSLO v1 documents.
import { exportOpenSlo } from '../interop/openslo';
import { CliError, parseCommandArgs, specFiles, type Command } from './command';
import { writeWhole } from './import';
import { loadAll } from './render';

export const exportCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, { to: { type: 'string' }, out: { type: 'string', short: 'o' } });
  if (values.to !== 'openslo') throw new CliError(`--to must be openslo${values.to ? ` (got ${values.to})` : ''}`);
  const specs = loadAll(specFiles(positionals));
  const result = exportOpenSlo(specs);
  if (values.out) {
    writeWhole(values.out, result.yaml);
    io.err.write(`wrote ${values.out}\n`);
  } else {
    io.out.write(result.yaml);
  }
  if (result.notes.length > 0) io.err.write(`not carried over:\n${result.notes.map((n) => `  - ${n}`).join('\n')}\n`);
  return 0;
};
