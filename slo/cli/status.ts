// `slo status`: each SLO's SLI, error budget left, burn rates and firing alerts, read from Prometheus.
import { existsSync } from 'node:fs';
import { readLocalState } from '../../infra/local/localState';
import { formatStatus } from '../status/format';
import { PrometheusError, prometheusApi } from '../status/prometheusApi';
import { collectStatus } from '../status/sloStatus';
import { CliError, parseCommandArgs, specFiles, type Command } from './command';
import { loadAll } from './render';

export const DEFAULT_PROMETHEUS_URL = 'http://127.0.0.1:9090';
const LOCAL_DATA_DIR = '.local';

/** The running local stack's Prometheus when there is one, else the default port. */
function defaultPrometheus(): string {
  if (!existsSync(LOCAL_DATA_DIR)) return DEFAULT_PROMETHEUS_URL;
  return readLocalState(LOCAL_DATA_DIR)?.urls.prometheus ?? DEFAULT_PROMETHEUS_URL;
}

export const statusCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    prometheus: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const specs = loadAll(specFiles(positionals));
  try {
    const api = prometheusApi(values.prometheus ?? defaultPrometheus());
    const report = await collectStatus(specs, api);
    if (values.json) {
      io.out.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const tty = (io.out as NodeJS.WriteStream).isTTY === true;
      io.out.write(formatStatus(report, { colour: tty && !process.env.NO_COLOR }));
    }
    return 0;
  } catch (e) {
    if (e instanceof PrometheusError) throw new CliError(e.message, 1);
    throw e;
  }
};
