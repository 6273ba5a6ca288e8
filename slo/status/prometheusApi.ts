// Instant queries against the Prometheus HTTP API (`/api/v1/query`), with one clear error when it cannot answer.

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Prometheus is down, unreachable, or refused the query; the message says which and where. */
export class PrometheusError extends Error {}

export interface PrometheusApi {
  readonly url: string;
  query(expr: string): Promise<Sample[]>;
}

interface QueryResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

export function prometheusApi(baseUrl: string, timeoutMs = 10_000): PrometheusApi {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new PrometheusError(`--prometheus must be a URL such as http://127.0.0.1:9090 (got "${baseUrl}")`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new PrometheusError(`--prometheus must be an http(s) URL (got ${parsed.protocol})`);
  // Credentials in the URL are never echoed back in messages.
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/$/, '')}`;
  // fetch refuses URLs with credentials: they travel as a Basic authorization header instead.
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (parsed.username || parsed.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const endpoint = new URL('api/v1/query', parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`);
  return {
    url: shown,
    async query(expr) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: new URLSearchParams({ query: expr }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        const cause = err.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : err.cause?.code ?? err.cause?.message ?? err.message;
        throw new PrometheusError(`Prometheus at ${shown} is unreachable (${cause}): start it with \`npm run local\` or pass --prometheus URL`);
      }
      let body: QueryResponse;
      try {
        body = (await res.json()) as QueryResponse;
      } catch {
        throw new PrometheusError(`${shown} answered HTTP ${res.status} without a Prometheus API response: is it Prometheus?`);
      }
      if (body.status !== 'success' || !body.data) throw new PrometheusError(`Prometheus at ${shown} refused a query: ${body.error ?? `HTTP ${res.status}`}`);
      if (body.data.resultType !== 'vector') throw new PrometheusError(`Prometheus at ${shown} answered a ${body.data.resultType}, not an instant vector`);
      return body.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
    },
  };
}
