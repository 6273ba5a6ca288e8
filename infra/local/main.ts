// `npm run local` (and `slo local start`): starts the local stack, prints where to look, and on Ctrl-C stops
// everything it started.
import { parseArgs } from 'node:util';
import { specFiles } from '../../slo/cli/command';
import { DEFAULT_PORTS, LOCAL_GROUP_INTERVAL, LOCAL_SCRAPE_INTERVAL, type LocalPorts } from './localConfig';
import { startLocalStack, type LocalStack } from './localStack';
import { LocalStackError } from './preflight';

export const LOCAL_USAGE = `usage: npm run local -- [options] [SPEC...]
  --data-dir DIR            data, logs, rendered config and lock file (default .local)
  --app-port N              the app (default ${DEFAULT_PORTS.app})
  --prometheus-port N       Prometheus (default ${DEFAULT_PORTS.prometheus})
  --alertmanager-port N     Alertmanager (default ${DEFAULT_PORTS.alertmanager})
  --sinks-port N            PagerDuty and Slack sinks (default ${DEFAULT_PORTS.sinks})
  --smtp-port N             SMTP sink (default ${DEFAULT_PORTS.smtp})
  --rate N                  traffic generator MCP calls per second, 0 for none (default 5, at most 50)

A component that dies is reported and restarted once; if it dies again, everything is stopped (exit 1).
`;

export interface LocalRunOptions {
  dataDir: string;
  ports: LocalPorts;
  rate: number;
  specFiles: string[];
}

export class UsageError extends Error {}

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${flag} must be a port number from 1 to 65535 (got "${value}")`);
  return n;
}

export function parseLocalArgs(argv: string[]): LocalRunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string', default: '.local' },
        'app-port': { type: 'string' },
        'prometheus-port': { type: 'string' },
        'alertmanager-port': { type: 'string' },
        'sinks-port': { type: 'string' },
        'smtp-port': { type: 'string' },
        rate: { type: 'string', default: '5' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const v = parsed.values;
  const rate = Number(v.rate);
  if (!Number.isFinite(rate) || rate < 0 || rate > 50) throw new UsageError(`--rate must be a number of calls per second from 0 to 50 (got "${v.rate}")`);
  return {
    dataDir: v['data-dir']!,
    ports: {
      app: port(v['app-port'], DEFAULT_PORTS.app, '--app-port'),
      prometheus: port(v['prometheus-port'], DEFAULT_PORTS.prometheus, '--prometheus-port'),
      alertmanager: port(v['alertmanager-port'], DEFAULT_PORTS.alertmanager, '--alertmanager-port'),
      sinks: port(v['sinks-port'], DEFAULT_PORTS.sinks, '--sinks-port'),
      smtp: port(v['smtp-port'], DEFAULT_PORTS.smtp, '--smtp-port'),
    },
    rate,
    specFiles: parsed.positionals,
  };
}

/** Runs until SIGINT/SIGTERM (exit 0) or until a component dies twice (exit 1). */
export async function runLocal(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let options: LocalRunOptions;
  let files: string[];
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(LOCAL_USAGE);
    return 0;
  }
  try {
    options = parseLocalArgs(argv);
    files = specFiles(options.specFiles);
  } catch (e) {
    err.write(`local: ${(e as Error).message}\n${LOCAL_USAGE}`);
    return 2;
  }
  const report = (line: string) => out.write(`local: ${line}\n`);
  // Handlers go in before anything starts: children run in their own process groups, so a Ctrl-C that killed
  // the runner by default would leave them behind.
  const interrupted = new AbortController();
  let stack: LocalStack | undefined;
  const onSignal = (signal: string) => {
    report(`${signal}: stopping everything`);
    interrupted.abort();
    void stack?.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const removeHandlers = () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  try {
    stack = await startLocalStack({ dataDir: options.dataDir, ports: options.ports, specFiles: files, trafficRate: options.rate, report, abort: interrupted.signal });
  } catch (e) {
    removeHandlers();
    if (!(e instanceof LocalStackError)) throw e;
    err.write(`local: ${e.message}\n`);
    return interrupted.signal.aborted ? 130 : 1;
  }
  const u = stack.urls;
  out.write([
    '',
    'The local stack is up (Ctrl-C stops everything):',
    `  Prometheus UI     ${u.prometheus}/graph   (scrape and rule evaluation every ${LOCAL_SCRAPE_INTERVAL})`,
    `  alerts            ${u.alerts}`,
    `  Alertmanager      ${u.alertmanager}   (group_interval ${LOCAL_GROUP_INTERVAL} locally)`,
    `  app (MCP)         ${u.mcp}`,
    `  sinks' log        ${stack.layout.sinksLog}   (PagerDuty, Slack, email deliveries, one JSON line each)`,
    `  logs              ${stack.layout.logsDir}`,
    '  inject faults     npx slo local inject --errors 0.5 --latency 2s   (--errors 0 --latency 0 to stop)',
    '  SLO status        npx slo status',
    '',
  ].join('\n'));
  const code = await stack.stopped;
  removeHandlers();
  report(code === 0 ? 'stopped; nothing left running' : 'stopped after a failure; nothing left running');
  return code;
}

if (require.main === module) {
  runLocal(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`local: internal error: ${e.message}\n`);
      process.exit(3);
    },
  );
}
