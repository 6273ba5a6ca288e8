// Test support: runs `npm run local`'s runner as a real child process on free loopback ports and reads its state.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LocalState } from '../../../infra/local/localState';

export const ROOT = resolve(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
  });
}

export interface RunnerPorts {
  app: number;
  prometheus: number;
  alertmanager: number;
  sinks: number;
  smtp: number;
}

export async function freePorts(): Promise<RunnerPorts> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort());
  const [app, prometheus, alertmanager, sinks, smtp] = [...ports];
  return { app, prometheus, alertmanager, sinks, smtp };
}

export function portArgs(p: RunnerPorts): string[] {
  return ['--app-port', String(p.app), '--prometheus-port', String(p.prometheus), '--alertmanager-port', String(p.alertmanager),
    '--sinks-port', String(p.sinks), '--smtp-port', String(p.smtp)];
}

export function tempDataDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

export interface Runner {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startRunner(args: string[], env: NodeJS.ProcessEnv = process.env): Runner {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'infra/local/main.ts'), ...args], {
    cwd: ROOT, env: { ...env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => res({ code, signal }));
  });
  return { child, output: () => out, exited };
}

/** Polls until `probe` returns a value; fails naming `what` and showing `context()` when time runs out. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, context: () => string = () => '', intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function waitUp(runner: Runner, timeoutMs = 180_000): Promise<void> {
  await waitFor('the local stack to be up', async () => {
    if (runner.child.exitCode !== null) throw new Error(`runner exited early:\n${runner.output()}`);
    return runner.output().includes('The local stack is up') || undefined;
  }, timeoutMs, runner.output);
}

export function readState(dataDir: string): LocalState {
  return JSON.parse(readFileSync(join(dataDir, 'local.json'), 'utf8')) as LocalState;
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGINT like Ctrl-C, then waits; SIGKILLs the group only if the runner hangs (and the test then fails on the code). */
export async function interrupt(runner: Runner, timeoutMs = 45_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (runner.child.exitCode !== null) return runner.exited;
  runner.child.kill('SIGINT');
  const timer = setTimeout(() => runner.child.kill('SIGKILL'), timeoutMs);
  const result = await runner.exited;
  clearTimeout(timer);
  return result;
}

/** Pids of live processes whose command line or environment mentions `text` (Linux /proc; own processes only). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    for (const file of ['cmdline', 'environ']) {
      try {
        if (readFileSync(`/proc/${entry}/${file}`).includes(text)) {
          found.push(Number(entry));
          break;
        }
      } catch {
        // gone, or not ours
      }
    }
  }
  return found;
}
