// POST /mcp: Streamable HTTP in stateless mode, a fresh McpServer and transport per request (no state shared between clients).

import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { ApiKeys } from '../auth/api-keys';
import { callerOf, requireKey, sendError } from '../auth/bearer';
import type { AppLogger } from '../logger';
import type { AppObserver } from '../observer';
import type { DigitalTwin } from '../twin/digital-twin';
import { toolInputs, type ToolName } from './tool-inputs';
import { buildMcpServer } from './tools';

export interface McpRouteDeps {
  twin: DigitalTwin;
  keys: ApiKeys;
  observer: AppObserver;
  logger: AppLogger;
  maxQuestionChars: number;
}

export function mcpRouter(deps: McpRouteDeps): Router {
  const router = Router();
  const auth = requireKey(deps.keys, { scope: 'read', shape: 'jsonrpc', observer: deps.observer, logger: deps.logger });
  const rejected = rejectedCallCounter(deps);

  router.post('/mcp', auth, express.json({ limit: '256kb' }), async (req: Request, res: Response) => {
    rejected(req.body);
    const server = buildMcpServer({ ...deps, caller: callerOf(res) });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      deps.observer.error('server_error', 'high');
      deps.logger.error('MCP request failed', { error: (err as Error).message });
      if (!res.headersSent) sendError(res, 500, 'Internal error while handling the MCP request', 'jsonrpc', -32603);
    }
  });

  const notAllowed = (_req: Request, res: Response) => {
    res.setHeader('Allow', 'POST');
    sendError(res, 405, 'Method not allowed: this MCP server is stateless; send JSON-RPC messages with POST /mcp', 'jsonrpc', -32000);
  };
  router.get('/mcp', notAllowed);
  router.delete('/mcp', notAllowed);

  // Body-parser failures on /mcp answer in JSON-RPC, so MCP clients show the reason.
  router.use('/mcp', (err: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.parse.failed') {
      deps.observer.error('validation', 'low');
      sendError(res, 400, 'Parse error: the request body is not valid JSON', 'jsonrpc', -32700);
    } else if (err?.type === 'entity.too.large') {
      deps.observer.error('validation', 'low');
      sendError(res, 413, 'Request too large: an MCP request body may be at most 256 kB', 'jsonrpc', -32600);
    } else {
      next(err);
    }
  });
  return router;
}

/**
 * The SDK rejects unknown tools and bad arguments before a tool handler runs, so those calls are counted here,
 * by checking each tools/call message against the same schemas the tools are registered with.
 */
function rejectedCallCounter(deps: McpRouteDeps): (body: unknown) => void {
  const schemas = new Map<string, z.ZodType>(
    Object.entries(toolInputs(deps.maxQuestionChars)).map(([name, shape]) => [name, z.object(shape)]),
  );
  return (body) => {
    for (const message of Array.isArray(body) ? body : [body]) {
      if (!message || typeof message !== 'object' || (message as { method?: unknown }).method !== 'tools/call') continue;
      const params = (message as { params?: { name?: unknown; arguments?: unknown } }).params;
      const name = params?.name;
      const schema = typeof name === 'string' ? schemas.get(name) : undefined;
      if (!schema) {
        deps.observer.toolCall('other', 'error');
        deps.observer.error('validation', 'low');
      } else if (!schema.safeParse(params?.arguments ?? {}).success) {
        deps.observer.toolCall(name as ToolName, 'error');
        deps.observer.error('validation', 'low');
      }
    }
  };
}
