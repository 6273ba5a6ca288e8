// What the burn-rate math predicts for the page alert in a young Prometheus, sample by sample: the recorded 5m
// rates average only the samples they have, so both the healthy history and the burst are modelled as recorded.

export interface CrossingInput {
  /** Sum of the recorded 5m total-rate samples before the errors (what avg_over_time(...[1h]) already holds). */
  healthySum: number;
  /** Number of those samples. */
  healthySamples: number;
  /** Requests per second while the errors run. */
  rate: number;
  /** Seconds the request counter had existed when the errors started (a 5m rate of a younger counter covers less). */
  counterAge: number;
  /** Share of requests that fail during the burst. */
  errorShare: number;
  /** Rule evaluation interval, seconds. */
  step: number;
  /** Error ratio both windows must exceed: factor x (1 - objective). */
  threshold: number;
  /** The short window, seconds (300). */
  shortWindow: number;
}

/**
 * Seconds from the start of the errors until the long (1h, average of 5m samples) and the short (5m) error ratios
 * both exceed the threshold, stepping one evaluation at a time; undefined if not within 30 minutes.
 */
export function predictCrossing(input: CrossingInput): number | undefined {
  const { rate, counterAge, errorShare, step, threshold, shortWindow } = input;
  let errorSum = 0;
  let totalSum = input.healthySum;
  for (let t = step; t <= 1800; t += step) {
    // rate() over a window only partly covered by samples sees only that part.
    const total = (rate * Math.min(counterAge + t, shortWindow)) / shortWindow;
    const errors = (errorShare * rate * Math.min(t, shortWindow)) / shortWindow;
    errorSum += errors;
    totalSum += total;
    if (errors / total > threshold && errorSum / totalSum > threshold) return t;
  }
  return undefined;
}
