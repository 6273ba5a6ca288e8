// Reads the cost of one PromQL evaluation from Prometheus's `/api/v1/query?...&stats=all` answer.

export interface QueryCost {
  /** Samples the evaluation read from storage: the machine-independent cost of the expression. */
  totalQueryableSamples: number;
  /** Most samples held in memory at once during the evaluation. */
  peakSamples: number;
  /** Server-side evaluation time in seconds (`timings.evalTotalTime`). */
  evalSeconds: number;
}

export interface InstantSeries {
  labels: Record<string, string>;
  value: number;
}

export interface InstantAnswer {
  cost: QueryCost;
  series: InstantSeries[];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function numberAt(obj: Record<string, unknown>, key: string, where: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}.${key} is missing or not a number`);
  return v;
}

/** Scalar answers (`vector(1)` is a vector, but `1` alone is a scalar) count as one series without labels. */
function seriesOf(data: Record<string, unknown>, expr: string): InstantSeries[] {
  const { resultType, result } = data;
  if (resultType === 'scalar' && Array.isArray(result)) return [{ labels: {}, value: Number(result[1]) }];
  if (resultType !== 'vector' || !Array.isArray(result)) throw new Error(`query ${expr}: expected a vector result, got ${String(resultType)}`);
  return result.map((r: unknown) => {
    if (!isRecord(r) || !isRecord(r.metric) || !Array.isArray(r.value)) throw new Error(`query ${expr}: malformed vector element`);
    return { labels: r.metric as Record<string, string>, value: Number(r.value[1]) };
  });
}

/**
 * Parses a Prometheus instant-query answer requested with `stats=all`. An error answer, or one without
 * statistics, is an error naming the expression: a cost of 0 would read as a free rule.
 */
export function parseInstantAnswer(body: unknown, expr: string): InstantAnswer {
  if (!isRecord(body)) throw new Error(`query ${expr}: answer is not a JSON object`);
  if (body.status !== 'success') {
    throw new Error(`query ${expr}: Prometheus answered ${String(body.errorType ?? body.status)}: ${String(body.error ?? 'no error text')}`);
  }
  const data = body.data;
  if (!isRecord(data)) throw new Error(`query ${expr}: answer has no data`);
  const stats = data.stats;
  if (!isRecord(stats) || !isRecord(stats.samples) || !isRecord(stats.timings)) {
    throw new Error(`query ${expr}: answer has no stats.samples (was stats=all sent, is Prometheus 2.35 or later?)`);
  }
  return {
    cost: {
      totalQueryableSamples: numberAt(stats.samples, 'totalQueryableSamples', 'stats.samples'),
      peakSamples: numberAt(stats.samples, 'peakSamples', 'stats.samples'),
      evalSeconds: numberAt(stats.timings, 'evalTotalTime', 'stats.timings'),
    },
    series: seriesOf(data, expr),
  };
}
