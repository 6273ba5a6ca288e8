// Synthetic HTTP traffic for the rule-cost benchmark: request counters per instance and code, and the series
// the rules record from them, computed the way Prometheus would have recorded them every 30 s.

/** Scrape and rule-evaluation interval of the synthetic data, in seconds. */
export const STEP_SECONDS = 30;

export const INSTANCES = ['a', 'b'] as const;
export const CODES = ['200', '429', '500'] as const;
export type Instance = (typeof INSTANCES)[number];
export type Code = (typeof CODES)[number];

/** Codes the SLI counts as errors: Sloth's `code=~"(5..|429)"`. */
const ERROR_CODES: ReadonlySet<Code> = new Set(['429', '500']);

export interface TrafficShape {
  /** Requests per second across both instances outside peak hours. */
  offPeakRate: number;
  /** Requests per second across both instances during peak hours. */
  peakRate: number;
  /** UTC hours [from, to) of the daily peak. */
  peakHours: readonly [number, number];
  /** Share of requests that fail outside and during peak hours: less traffic, more errors, as with batch clients at night. */
  offPeakErrorRatio: number;
  peakErrorRatio: number;
}

/**
 * 10x traffic at peak with a tenth of the off-peak error ratio: the traffic-weighted error ratio is 0.1%
 * (exactly the 99.9% budget) while the time-average of 5m ratios is 2.8 times that.
 */
export const UNEVEN_DAY: TrafficShape = {
  offPeakRate: 20,
  peakRate: 200,
  peakHours: [12, 20],
  offPeakErrorRatio: 0.004,
  peakErrorRatio: 0.0004,
};

/** Instance `a` serves this share of the traffic, `b` the rest. */
const SHARE_A = 0.6;
/** Share of errors answered 500; the rest are 429. */
const SHARE_500 = 0.7;

export interface CounterSeries {
  instance: Instance;
  code: Code;
  /** Cumulative request count at each step. */
  values: Float64Array;
}

export interface Traffic {
  /** Unix seconds of the first sample. */
  start: number;
  /** Number of samples per series: steps + 1 (both ends included). */
  points: number;
  counters: CounterSeries[];
  /** `sum(rate(total[5m]))` at each step, NaN until 5m of data exist. */
  totalRate5m: Float64Array;
  errorsRate5m: Float64Array;
  /** `avg_over_time(<5m series>[1h])` at each step, NaN until a full hour of 5m rates exists. */
  totalRate1h: Float64Array;
  errorsRate1h: Float64Array;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run benchmarks the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isPeak(unixSeconds: number, shape: TrafficShape): boolean {
  const hour = Math.floor((unixSeconds % 86400) / 3600);
  return hour >= shape.peakHours[0] && hour < shape.peakHours[1];
}

/** Index of the sample `seconds` before step `i` (the window's first sample, both ends included as in Prometheus 2.x). */
function stepsIn(seconds: number): number {
  return seconds / STEP_SECONDS;
}

/** Average of `series` over the `width + 1` samples ending at each step; NaN where any is missing. */
function trailingAverage(series: Float64Array, width: number): Float64Array {
  const out = new Float64Array(series.length).fill(Number.NaN);
  let sum = 0;
  let known = 0;
  for (let i = 0; i < series.length; i++) {
    if (!Number.isNaN(series[i])) { sum += series[i]; known++; }
    const leaving = i - width - 1;
    if (leaving >= 0 && !Number.isNaN(series[leaving])) { sum -= series[leaving]; known--; }
    if (known === width + 1) out[i] = sum / (width + 1);
  }
  return out;
}

/** Per-second increase over the window ending at each step: what `rate()` returns for samples exactly on the window's edges. */
function windowRate(counters: readonly Float64Array[], windowSeconds: number): Float64Array {
  const back = stepsIn(windowSeconds);
  const points = counters[0].length;
  const out = new Float64Array(points).fill(Number.NaN);
  for (let i = back; i < points; i++) {
    let delta = 0;
    for (const c of counters) delta += c[i] - c[i - back];
    out[i] = delta / windowSeconds;
  }
  return out;
}

/** Counters ending at `end` (unix seconds) over `days`, and the recorded 5m and 1h rates derived from them. */
export function syntheticTraffic(end: number, days: number, shape: TrafficShape = UNEVEN_DAY, seed = 42): Traffic {
  const steps = (days * 86400) / STEP_SECONDS;
  const points = steps + 1;
  const start = end - steps * STEP_SECONDS;
  const next = random(seed);
  const counters: CounterSeries[] = [];
  for (const instance of INSTANCES) for (const code of CODES) counters.push({ instance, code, values: new Float64Array(points) });
  const series = (instance: Instance, code: Code): Float64Array => counters.find((c) => c.instance === instance && c.code === code)!.values;

  for (const instance of INSTANCES) {
    const share = instance === 'a' ? SHARE_A : 1 - SHARE_A;
    const [ok, tooMany, failed] = [series(instance, '200'), series(instance, '429'), series(instance, '500')];
    // Errors and their split accumulate fractions so the integer counts keep the intended ratios over time.
    let errorCarry = 0;
    let failedCarry = 0;
    for (let i = 1; i < points; i++) {
      const peak = isPeak(start + i * STEP_SECONDS, shape);
      const rate = (peak ? shape.peakRate : shape.offPeakRate) * share;
      const requests = Math.round(rate * STEP_SECONDS * (0.9 + 0.2 * next()));
      errorCarry += requests * (peak ? shape.peakErrorRatio : shape.offPeakErrorRatio);
      const errors = Math.floor(errorCarry);
      errorCarry -= errors;
      failedCarry += errors * SHARE_500;
      const failures = Math.floor(failedCarry);
      failedCarry -= failures;
      ok[i] = ok[i - 1] + requests - errors;
      failed[i] = failed[i - 1] + failures;
      tooMany[i] = tooMany[i - 1] + errors - failures;
    }
  }

  const totalRate5m = windowRate(counters.map((c) => c.values), 300);
  const errorsRate5m = windowRate(counters.filter((c) => ERROR_CODES.has(c.code)).map((c) => c.values), 300);
  const hour = stepsIn(3600);
  return {
    start,
    points,
    counters,
    totalRate5m,
    errorsRate5m,
    totalRate1h: trailingAverage(totalRate5m, hour),
    errorsRate1h: trailingAverage(errorsRate5m, hour),
  };
}

/** Timestamp of sample `i`. */
export function sampleTime(traffic: Traffic, i: number): number {
  return traffic.start + i * STEP_SECONDS;
}

/** Errors over requests across the window ending at the last sample: the true, traffic-weighted error ratio. */
export function trueErrorRatio(traffic: Traffic, windowSeconds: number): number {
  const last = traffic.points - 1;
  const first = last - stepsIn(windowSeconds);
  let errors = 0;
  let total = 0;
  for (const c of traffic.counters) {
    const increase = c.values[last] - c.values[first];
    total += increase;
    if (ERROR_CODES.has(c.code)) errors += increase;
  }
  return errors / total;
}

/** Mean of the 5m error ratios over the window ending at the last sample: what an average of ratios reports. */
export function averageOfRatios(traffic: Traffic, windowSeconds: number): number {
  const last = traffic.points - 1;
  const first = last - stepsIn(windowSeconds);
  let sum = 0;
  let count = 0;
  for (let i = first; i <= last; i++) {
    if (Number.isNaN(traffic.totalRate5m[i]) || traffic.totalRate5m[i] === 0) continue;
    sum += traffic.errorsRate5m[i] / traffic.totalRate5m[i];
    count++;
  }
  return sum / count;
}
