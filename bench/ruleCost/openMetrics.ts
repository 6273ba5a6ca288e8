// Writes series as an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`, streamed in chunks.
import { closeSync, openSync, writeSync } from 'node:fs';
import { STEP_SECONDS } from './traffic';

export interface SeriesData {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** Unix seconds of `values[0]`; later values follow every STEP_SECONDS. NaN values are left out. */
  start: number;
  values: ArrayLike<number>;
}

/** Flush to disk about every megabyte, so a 100 MB file never sits in memory. */
const CHUNK_CHARS = 1 << 20;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `name{a="x",b="y"}`: the series part of an exposition line. */
export function seriesText(name: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length > 0 ? `${name}{${pairs.join(',')}}` : name;
}

/** OpenMetrics wants Go float syntax: `NaN`, `+Inf`; JavaScript's shortest round-trip form is otherwise valid. */
function valueText(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

export interface WriteSummary {
  series: number;
  samples: number;
  bytes: number;
}

/**
 * Writes every series, each one contiguous (as OpenMetrics requires of a metric family's samples), then `# EOF`.
 * Series sharing a name must be passed next to each other.
 */
export function writeOpenMetrics(file: string, series: readonly SeriesData[]): WriteSummary {
  const fd = openSync(file, 'w');
  let buffer = '';
  let samples = 0;
  let bytes = 0;
  const flush = (): void => {
    bytes += writeSync(fd, buffer);
    buffer = '';
  };
  try {
    for (const s of series) {
      const prefix = `${seriesText(s.name, s.labels)} `;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        if (Number.isNaN(v)) continue;
        buffer += `${prefix}${valueText(v)} ${s.start + i * STEP_SECONDS}\n`;
        samples++;
        if (buffer.length >= CHUNK_CHARS) flush();
      }
    }
    buffer += '# EOF\n';
    flush();
  } finally {
    closeSync(fd);
  }
  return { series: series.length, samples, bytes };
}
