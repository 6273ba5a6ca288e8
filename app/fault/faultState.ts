// The faults the local runner and tests switch on while the app runs: a share of requests failing, and added latency.
import { z } from 'zod';

export interface Faults {
  /** Share of requests answered with a 503, from 0 to 1. */
  errorRate: number;
  /** Milliseconds added before every affected request is handled. */
  latencyMs: number;
}

export const MAX_LATENCY_MS = 60_000;

/** A partial update: fields left out keep their value. */
export const faultsUpdate = z
  .object({
    errorRate: z
      .number({ message: 'errorRate must be a number from 0 to 1' })
      .min(0, 'errorRate must be at least 0')
      .max(1, 'errorRate must be at most 1')
      .optional(),
    latencyMs: z
      .number({ message: `latencyMs must be a number of milliseconds from 0 to ${MAX_LATENCY_MS}` })
      .int('latencyMs must be a whole number of milliseconds')
      .min(0, 'latencyMs must be at least 0')
      .max(MAX_LATENCY_MS, `latencyMs must be at most ${MAX_LATENCY_MS}`)
      .optional(),
  })
  .strict();

export type FaultsUpdate = z.infer<typeof faultsUpdate>;

export class FaultState {
  private current: Faults = { errorRate: 0, latencyMs: 0 };

  get(): Faults {
    return { ...this.current };
  }

  set(update: FaultsUpdate): Faults {
    this.current = { ...this.current, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) };
    return this.get();
  }
}
