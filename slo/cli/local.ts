// `slo local start` runs the local stack (same as `npm run local`); `slo local inject` switches its fault
// injection (error rate, added latency) through the app's admin endpoint while it runs.
import { readFileSync } from 'node:fs';
import { parseDuration } from '../duration';
import { layoutOf } from '../../infra/local/localConfig';
import { readLocalState } from '../../infra/local/localState';
import { CliError, parseCommandArgs, type Command } from './command';

const USAGE = 'usage: slo local start [options] | slo local inject [--errors RATIO] [--latency DURATION] [--data-dir DIR]';

/** `2s`, `500ms` or `0`: milliseconds. */
export function parseLatency(text: string): number {
  const t = text.trim();
  if (t === '0') return 0;
  try {
    return Math.round(parseDuration(t) * 1000);
  } catch {
    throw new CliError(`--latency must be a duration such as 2s, 500ms or 0 (got "${text}")`);
  }
}

export function parseErrorRate(text: string): number {
  const n = Number(text.trim().replace(/%$/, ''));
  const rate = text.trim().endsWith('%') ? n / 100 : n;
  if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new CliError(`--errors must be a share from 0 to 1, or a percentage (got "${text}")`);
  return rate;
}

const inject: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(argv, {
    errors: { type: 'string' },
    latency: { type: 'string' },
    'data-dir': { type: 'string', default: '.local' },
  });
  if (positionals.length > 0) throw new CliError(`unexpected argument \`${positionals[0]}\`\n${USAGE}`);
  const update: { errorRate?: number; latencyMs?: number } = {};
  if (values.errors !== undefined) update.errorRate = parseErrorRate(values.errors);
  if (values.latency !== undefined) update.latencyMs = parseLatency(values.latency);
  const dataDir = values['data-dir']!;
  const state = readLocalState(dataDir);
  if (!state) throw new CliError(`no local stack is running with data folder ${dataDir}: start it with \`npm run local\``, 1);
  let key: string;
  try {
    key = readFileSync(layoutOf(dataDir).adminKeyFile, 'utf8').trim();
  } catch {
    throw new CliError(`the local stack's admin key is missing from ${dataDir}/secrets: restart \`npm run local\``, 1);
  }
  const method = Object.keys(update).length > 0 ? 'PUT' : 'GET';
  let res: Response;
  try {
    res = await fetch(`${state.urls.app}/admin/fault`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: method === 'PUT' ? JSON.stringify(update) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new CliError(`the app at ${state.urls.app} is unreachable: is \`npm run local\` still running?`, 1);
  }
  const body = (await res.json().catch(() => ({}))) as { errorRate?: number; latencyMs?: number; error?: string };
  if (!res.ok) throw new CliError(`the app refused: ${body.error ?? `HTTP ${res.status}`}`, 1);
  io.out.write(`fault injection: ${Math.round((body.errorRate ?? 0) * 1000) / 10}% errors, ${body.latencyMs ?? 0} ms added latency\n`);
  return 0;
};

export const localCommand: Command = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (sub === 'start') {
    // Loaded only here: the runner pulls in the sinks, the supervisor and the MCP client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runLocal } = require('../../infra/local/main') as typeof import('../../infra/local/main');
    return runLocal(rest, io.out, io.err);
  }
  if (sub === 'inject') return inject(rest, io);
  throw new CliError(sub ? `unknown subcommand \`${sub}\`\n${USAGE}` : USAGE);
};
