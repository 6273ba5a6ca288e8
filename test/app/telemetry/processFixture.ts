// Test helper: runs a fixture under real Node (jest's module loader bypasses OpenTelemetry's require hooks).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface FixtureProcess {
  url: string;
  /** Every stdout line so far. */
  lines(): string[];
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../..');

/** Starts `script`; it is ready when a stdout line matches `ready` (first group: the port). */
export function startFixture(
  script: string, preload: string[], env: Record<string, string>, ready: RegExp = /^LISTENING (\d+)$/m, startLimitMs = 30_000,
): Promise<FixtureProcess> {
  const args = ['-r', 'tsx/cjs', ...preload.flatMap((p) => ['-r', p]), script];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fixture did not start in ${startLimitMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, startLimitMs);
    const check = () => {
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        lines: () => out.split('\n').filter(Boolean),
        stop: async () => {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}
