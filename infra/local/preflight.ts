// Checks before anything starts: the binaries exist, every port is free, and no other runner owns the data folder.
import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A problem the user can fix; the runner prints the message alone and exits non-zero. */
export class LocalStackError extends Error {}

const INSTALL_HINT = 'run `bash scripts/setup`, or `sudo apt-get install prometheus prometheus-alertmanager`';

/** The first executable named one of `names` on PATH. */
export function findBinary(names: readonly string[], path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export interface Binaries {
  prometheus: string;
  alertmanager: string;
}

export function requireBinaries(path = process.env.PATH ?? ''): Binaries {
  const prometheus = findBinary(['prometheus'], path);
  // Debian installs Alertmanager as prometheus-alertmanager; upstream tarballs as alertmanager.
  const alertmanager = findBinary(['prometheus-alertmanager', 'alertmanager'], path);
  const missing = [!prometheus && '`prometheus`', !alertmanager && '`prometheus-alertmanager` (or `alertmanager`)'].filter(Boolean);
  if (missing.length > 0) throw new LocalStackError(`${missing.join(' and ')} not found on PATH: ${INSTALL_HINT}`);
  return { prometheus: prometheus!, alertmanager: alertmanager! };
}

export interface PortClaim {
  port: number;
  /** What needs it and the option that moves it: `Prometheus (--prometheus-port)`. */
  owner: string;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function requireFreePorts(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const c of claims) {
    const other = seen.get(c.port);
    if (other) throw new LocalStackError(`port ${c.port} is given to both ${other} and ${c.owner}: choose different ports`);
    seen.set(c.port, c.owner);
  }
  const busy: string[] = [];
  for (const c of claims) if (!(await portFree(c.port))) busy.push(`port ${c.port} for ${c.owner}`);
  if (busy.length > 0) {
    throw new LocalStackError(`already in use on 127.0.0.1: ${busy.join(', ')}. Stop what uses it (\`ss -ltnp\` shows who) or choose another port with the option named.`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder's lock file (the runner's pid); a stale one, whose process is gone, is replaced. */
export function acquireLock(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        if (existsSync(lockFile) && readFileSync(lockFile, 'utf8').trim() === String(process.pid)) rmSync(lockFile, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new LocalStackError(`the local stack is already running (pid ${owner}, lock ${lockFile}): stop it with Ctrl-C in its terminal or \`kill ${owner}\`, or use another --data-dir`);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new LocalStackError(`could not take the lock ${lockFile}`);
}
