// What the local sinks received from Alertmanager: one JSON line per notification in the sinks' log, and in memory.
import { appendFileSync } from 'node:fs';

export type SinkName = 'pagerduty' | 'slack' | 'email';

export interface Delivery {
  /** ISO time the sink received it. */
  at: string;
  sink: SinkName;
  status: 'firing' | 'resolved';
  /** Where it went: the Slack channel, the email recipient, the PagerDuty service's dedup key. */
  target: string;
  /** The notification's title line, e.g. `[FIRING:1] ErrorBudgetBurn digital-twin-mcp availability`. */
  title: string;
  severity?: string;
}

/** `[FIRING:2] ...` / `[RESOLVED] ...`, as the generated templates write titles. */
export function statusOfTitle(title: string): Delivery['status'] {
  return /^\s*\[RESOLVED/i.test(title) ? 'resolved' : 'firing';
}

export class DeliveryLog {
  private readonly received: Delivery[] = [];
  private readonly listeners = new Set<(d: Delivery) => void>();

  /** `file` receives one JSON line per delivery; no secret is ever part of a Delivery. */
  constructor(private readonly file?: string) {}

  record(delivery: Omit<Delivery, 'at'>): Delivery {
    const entry: Delivery = { at: new Date().toISOString(), ...delivery };
    this.received.push(entry);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  all(): Delivery[] {
    return [...this.received];
  }

  onDelivery(listener: (d: Delivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
