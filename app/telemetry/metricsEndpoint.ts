// `GET /metrics`: the registry in the Prometheus text format, or OpenMetrics (with exemplars) when asked for.
import type { Request, Response } from 'express';
import type { ExpositionFormat, Metrics } from './metrics';

export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'prometheus';
}

export function metricsHandler(metrics: Metrics) {
  return async (req: Request, res: Response): Promise<void> => {
    const format = negotiateFormat(req.headers.accept);
    try {
      const body = await metrics.render(format);
      res.setHeader('Content-Type', metrics.contentType(format));
      res.status(200).send(body);
    } catch (error) {
      res.status(500).type('text/plain').send(`metrics could not be rendered: ${(error as Error).message}\n`);
    }
  };
}
