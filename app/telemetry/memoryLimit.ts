// The memory the process may use: the container's cgroup limit when there is one, else the machine's memory.
// Memory alerts divide resident memory by this, so it must be the limit the kernel enforces (OOM kill).
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const CGROUP_V2_MEMORY_MAX = '/sys/fs/cgroup/memory.max';
export const CGROUP_V1_LIMIT = '/sys/fs/cgroup/memory/memory.limit_in_bytes';

type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Parses a cgroup limit file; `max` (v2) and v1's near-2^63 "unlimited" sentinel mean no limit. */
export function parseCgroupLimit(text: string | undefined, totalMemory: number): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (!/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes >= totalMemory) return undefined;
  return bytes;
}

export function memoryLimitBytes(read: ReadText = readText, totalMemory: number = os.totalmem()): number {
  return parseCgroupLimit(read(CGROUP_V2_MEMORY_MAX), totalMemory)
    ?? parseCgroupLimit(read(CGROUP_V1_LIMIT), totalMemory)
    ?? totalMemory;
}
