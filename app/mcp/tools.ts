// The MCP server for one request: the four tools, bound to the verified caller, with outcome metrics per call.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { hasScope, type Caller } from '../auth/caller';
import type { AppLogger } from '../logger';
import type { AppObserver } from '../observer';
import type { DigitalTwin } from '../twin/digital-twin';
import { LlmError } from '../twin/groq-client';
import { normalizePlatform } from '../twin/platform';
import { VectorIndexError } from '../twin/vector-index';
import { toolInputs, type ToolName } from './tool-inputs';

/** An error whose message is meant for the MCP client as is. */
export class ToolError extends Error {
  override name = 'ToolError';
}

export interface ToolContext {
  twin: DigitalTwin;
  caller: Caller;
  observer: AppObserver;
  logger: AppLogger;
  maxQuestionChars: number;
}

const sourceShape = { section: z.string(), heading: z.string(), chunkId: z.string(), score: z.number() };
// Output schemas are built once at load: they do not depend on the request.
const askOutput = { answer: z.string(), mode: z.enum(['groq', 'extractive']), cached: z.boolean(), sources: z.array(z.object(sourceShape)) };
const searchOutput = { results: z.array(z.object({ ...sourceShape, text: z.string() })) };

export function buildMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer({ name: 'digital-twin-mcp', version: '0.1.0' }, { capabilities: { tools: {} } });
  const inputs = toolInputs(ctx.maxQuestionChars);

  server.registerTool(
    'ask_twin',
    {
      title: 'Ask the digital twin',
      description: 'Ask me about my professional background; I answer in the first person from my profile and cite the sections I used.',
      inputSchema: inputs.ask_twin,
      outputSchema: askOutput,
    },
    (args) =>
      run(ctx, 'ask_twin', async () => {
        const result = await ctx.twin.ask(args.question, normalizePlatform(args.platform), ctx.caller);
        const cited = [...new Set(result.sources.map((s) => s.section))];
        const text = cited.length > 0 ? `${result.answer}\n\nSources: ${cited.join(', ')}` : result.answer;
        return { content: [{ type: 'text', text }], structuredContent: { ...result } };
      }),
  );

  server.registerTool(
    'search_profile',
    {
      title: 'Search the profile',
      description: 'The profile chunks that best match a query, with cosine similarity scores.',
      inputSchema: inputs.search_profile,
      outputSchema: searchOutput,
    },
    (args) =>
      run(ctx, 'search_profile', async () => {
        const results = await ctx.twin.search(args.query, args.limit ?? 5, normalizePlatform(args.platform), ctx.caller);
        const text = results.length === 0
          ? 'No profile chunk matches that query.'
          : results.map((r) => `${r.score.toFixed(3)}  ${r.chunkId}  ${r.text}`).join('\n');
        return { content: [{ type: 'text', text }], structuredContent: { results } };
      }),
  );

  server.registerTool(
    'get_profile',
    {
      title: 'Read the profile',
      description: 'The current text of one profile section, or of all of them.',
      inputSchema: inputs.get_profile,
    },
    (args) =>
      run(ctx, 'get_profile', async () => {
        const sections = await ctx.twin.profile(args.section);
        if (args.section !== undefined && sections.length === 0) {
          const known = (await ctx.twin.profile()).map((s) => s.section).join(', ');
          throw new ToolError(`Unknown profile section "${args.section}"; sections: ${known}`);
        }
        const text = sections.map((s) => `<!-- section: ${s.section}, revision ${s.revision} -->\n${s.content.trim()}`).join('\n\n');
        const structured = sections.map((s) => ({ section: s.section, revision: s.revision, updatedAt: s.createdAt.toISOString(), content: s.content }));
        return { content: [{ type: 'text', text }], structuredContent: { sections: structured } };
      }),
  );

  server.registerTool(
    'update_profile',
    {
      title: 'Update a profile section',
      description: 'Replace (or add) one profile section; needs an API key with write scope. The section is re-indexed at once.',
      inputSchema: inputs.update_profile,
    },
    (args) =>
      run(ctx, 'update_profile', async () => {
        if (!hasScope(ctx.caller, 'write')) {
          ctx.observer.error('auth', 'low');
          throw new ToolError(`Forbidden: update_profile needs an API key with write scope; this key has ${ctx.caller.scope} scope`);
        }
        const { revision, chunks } = await ctx.twin.update(args.section, args.content, ctx.caller);
        return {
          content: [{ type: 'text', text: `Updated section "${revision.section}" to revision ${revision.revision} (${chunks} chunks indexed).` }],
          structuredContent: { section: revision.section, revision: revision.revision, chunks },
        };
      }),
  );

  return server;
}

/** Runs a tool body: counts the outcome, and turns failures into an MCP tool error with a message safe to show. */
async function run(ctx: ToolContext, tool: ToolName, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    const result = await body();
    ctx.observer.toolCall(tool, 'success');
    return result;
  } catch (err) {
    ctx.observer.toolCall(tool, 'error');
    if (err instanceof ToolError || err instanceof LlmError || err instanceof VectorIndexError) {
      return { content: [{ type: 'text', text: err.message }], isError: true };
    }
    ctx.logger.error('MCP tool failed', { tool, error: (err as Error).message });
    return { content: [{ type: 'text', text: `Internal error while running ${tool}; it has been logged.` }], isError: true };
  }
}
