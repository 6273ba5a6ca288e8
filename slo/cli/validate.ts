// `slo validate`: every problem of every spec, one located line each.
import { loadSpecFile, SpecError } from '../load';
import { parseCommandArgs, specFiles, type Command } from './command';

export const validateCommand: Command = async (argv, io) => {
  const { positionals } = parseCommandArgs(argv, {});
  let failed = 0;
  for (const file of specFiles(positionals)) {
    try {
      const spec = loadSpecFile(file);
      io.out.write(`${file}: ok (${spec.slos.length} SLOs, ${spec.alerts.length} alerts)\n`);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      failed++;
      io.err.write(`${e.message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
};
