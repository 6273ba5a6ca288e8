// Prometheus durations (`30d`, `1h30m`) to seconds and back, and error budgets as spans of time.

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400, y: 365 * 86400,
};

const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Seconds in a Prometheus duration; throws RangeError on anything else. */
export function parseDuration(text: string): number {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) throw new RangeError(`not a duration: ${JSON.stringify(text)}`);
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(PART)) seconds += Number(n) * UNIT_SECONDS[unit];
  return seconds;
}

export function isDuration(text: string): boolean {
  return /^(\d+(ms|s|m|h|d|w|y))+$/.test(text);
}

/** The shortest Prometheus duration for whole seconds, using days as the largest unit (`2592000` -> `30d`). */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds);
  let out = '';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A span of time for people: `43 min 12 s`, `3 d 14 h`, at most two units. */
export function humanDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0 s';
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${unit}`);
    if (n > 0) rest -= n * size;
    if (parts.length === 2) break;
    if (parts.length === 1 && n === 0) break;
  }
  return sign + parts.join(' ');
}

/** Allowed downtime of an SLO: (1 - objective%) of its window, in seconds (99.9% of 30d = 2592 s). */
export function errorBudgetSeconds(objectivePercent: number, windowSeconds: number): number {
  return ((100 - objectivePercent) / 100) * windowSeconds;
}
