// Input schemas of the MCP tools (zod), shared by the tool registrations and the route's outcome accounting.

import { z } from 'zod';
import { SECTION_NAME, SECTION_NAME_RULE } from '../twin/profile';

export const MAX_CONTENT_CHARS = 20_000;
export const MAX_SEARCH_LIMIT = 20;

const built = new Map<number, ReturnType<typeof buildToolInputs>>();

/** Built once per limit: zod schemas are immutable, and rebuilding them on every request costs milliseconds. */
export function toolInputs(maxQuestionChars: number): ReturnType<typeof buildToolInputs> {
  let inputs = built.get(maxQuestionChars);
  if (!inputs) {
    inputs = buildToolInputs(maxQuestionChars);
    built.set(maxQuestionChars, inputs);
  }
  return inputs;
}

function buildToolInputs(maxQuestionChars: number) {
  const limitText = maxQuestionChars.toLocaleString('en-US');
  const text = (name: string) =>
    z
      .string({ message: `${name} must be a string` })
      .max(maxQuestionChars, `${name} must be at most ${limitText} characters`)
      .refine((s) => s.trim().length > 0, `${name} must not be empty`);
  const section = z.string({ message: 'section must be a string' }).regex(SECTION_NAME, `section must be ${SECTION_NAME_RULE}`);
  const platform = z
    .string({ message: 'platform must be a string' })
    .max(64, 'platform must be at most 64 characters')
    .optional()
    .describe('Where the question comes from: claude, chatgpt, cursor, vscode, web, api or other');
  return {
    ask_twin: {
      question: text('question').describe('A question about my professional background'),
      platform,
    },
    search_profile: {
      query: text('query').describe('Words to look for in the profile'),
      limit: z
        .number({ message: 'limit must be a number' })
        .int('limit must be an integer')
        .min(1, 'limit must be at least 1')
        .max(MAX_SEARCH_LIMIT, `limit must be at most ${MAX_SEARCH_LIMIT}`)
        .optional()
        .describe(`How many chunks to return (1-${MAX_SEARCH_LIMIT}, default 5)`),
      platform,
    },
    get_profile: {
      section: section.optional().describe('One section (summary, experience, ...); all sections when absent'),
    },
    update_profile: {
      section: section.describe('The section to replace or add'),
      content: z
        .string({ message: 'content must be a string' })
        .max(MAX_CONTENT_CHARS, `content must be at most ${MAX_CONTENT_CHARS.toLocaleString('en-US')} characters`)
        .refine((s) => s.trim().length > 0, 'content must not be empty')
        .describe('The new markdown text of the section'),
    },
  } as const;
}

export type ToolName = keyof ReturnType<typeof toolInputs>;
export const TOOL_NAMES: readonly ToolName[] = ['ask_twin', 'search_profile', 'get_profile', 'update_profile'];
