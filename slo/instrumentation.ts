// What the app must export for a spec: histogram buckets with every SLO latency threshold merged in.
import { CATALOG_SERVICE, METRICS } from '../app/telemetry/catalog';
import type { Spec } from './schema';
import { parseSelector } from './promql';

export interface Instrumentation {
  /** Bucket bounds per histogram name, sorted ascending. */
  buckets: Record<string, number[]>;
}

/** Buckets for the catalog's histograms: the catalog's own bounds plus the thresholds of this service's latency SLOs. */
export function instrumentationFor(specs: readonly Spec[]): Instrumentation {
  const buckets: Record<string, number[]> = {};
  for (const metric of METRICS) {
    if (metric.type !== 'histogram') continue;
    const bounds = new Set(metric.buckets ?? []);
    if (metric.bucketsFromSpec) {
      for (const spec of specs) {
        if (spec.service !== CATALOG_SERVICE) continue;
        for (const slo of spec.slos) {
          const latency = slo.sli.latency;
          if (!latency) continue;
          const selector = parseSelector(latency.histogram);
          if (selector.ok && selector.value.metric === metric.name) bounds.add(latency.threshold);
        }
      }
    }
    buckets[metric.name] = [...bounds].sort((a, b) => a - b);
  }
  return { buckets };
}
