// One child process the local runner owns: started in its own process group with output to a log file,
// waited for until ready, and stopped with SIGTERM to the whole group, then SIGKILL after a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ProcessSpec {
  /** Shown in progress lines: `Prometheus`, `Alertmanager`, `app`. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** HTTP URL that answers 200 once the process is ready. */
  readyUrl: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export class SupervisedProcess {
  private child?: ChildProcess;
  private exited?: Promise<ExitInfo>;
  private stopping = false;
  /** Called when the process ends without stop() having been asked. */
  onUnexpectedExit?: (info: ExitInfo) => void;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    this.stopping = false;
    const out = openSync(this.spec.logFile, 'a');
    try {
      // detached: its own process group, so stop() reaches grandchildren too and Ctrl-C in the terminal
      // reaches only the runner, which then stops everything in order.
      const child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd, env: this.spec.env, detached: true, stdio: ['ignore', out, out],
      });
      this.child = child;
      this.exited = new Promise<ExitInfo>((resolve) => {
        child.once('error', () => resolve({ code: 127, signal: null }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      this.exited.then((info) => {
        if (!this.stopping && this.child === child) this.onUnexpectedExit?.(info);
      });
    } finally {
      closeSync(out);
    }
  }

  /** Resolves once readyUrl answers 200; rejects if the process exits first, the deadline passes or `abort` fires. */
  async waitReady(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitedEarly: ExitInfo | undefined;
    this.exited?.then((info) => { exitedEarly = info; });
    while (Date.now() < deadline) {
      if (abort?.aborted) throw new Error(`interrupted while waiting for ${this.spec.name}`);
      if (exitedEarly) throw new Error(`${this.spec.name} exited during start-up (${describeExit(exitedEarly)}); see ${this.spec.logFile}`);
      try {
        const res = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(1_000) });
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.spec.name} was not ready at ${this.spec.readyUrl} after ${Math.round(timeoutMs / 1000)} s; see ${this.spec.logFile}`);
  }

  /** SIGTERM to the process group, SIGKILL after timeoutMs; resolves once the process has exited. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child?.pid || !this.exited || !this.running) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is already gone
      }
    };
    signalGroup('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        signalGroup('SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
    // Whatever the leader left behind in its group goes too.
    signalGroup('SIGKILL');
  }
}
