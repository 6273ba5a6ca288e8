// Answer generation: Groq when a key is configured, otherwise an extractive answer that says it is extractive.

import type { ChatMessage, GroqClient } from './groq-client';
import type { VectorMatch } from './vector-index';

export type AnswerMode = 'groq' | 'extractive';

export interface Answerer {
  readonly mode: AnswerMode;
  /** How many of the best matches the answer draws on; they are the answer's sources. */
  readonly passages: number;
  answer(question: string, matches: readonly VectorMatch[]): Promise<string>;
}

export const NOTHING_FOUND = 'I could not find anything in my profile that answers that, so I would rather not guess.';
export const EXTRACTIVE_PREFIX =
  'This is an extractive answer (no language model is configured): the passages of my profile that best match your question.';

export class ExtractiveAnswerer implements Answerer {
  readonly mode = 'extractive';
  readonly passages = 3;

  async answer(_question: string, matches: readonly VectorMatch[]): Promise<string> {
    if (matches.length === 0) return NOTHING_FOUND;
    const passages = matches.slice(0, this.passages).map((m) => `- (${m.metadata.heading}) ${m.metadata.text}`);
    return `${EXTRACTIVE_PREFIX}\n\n${passages.join('\n')}`;
  }
}

export class GroqAnswerer implements Answerer {
  readonly mode = 'groq';
  readonly passages = 5;

  constructor(private readonly client: GroqClient) {}

  async answer(question: string, matches: readonly VectorMatch[]): Promise<string> {
    if (matches.length === 0) return NOTHING_FOUND;
    const excerpts = matches.map((m, i) => `[${i + 1}] (${m.metadata.section}: ${m.metadata.heading}) ${m.metadata.text}`).join('\n');
    const messages: ChatMessage[] = [
      {
        role: 'system',
        content:
          'You are the digital twin of the professional whose profile excerpts follow. Answer in the first person, as them, ' +
          'in at most five sentences, using only facts in the excerpts. If the excerpts do not answer the question, say so ' +
          'plainly instead of guessing. Do not mention excerpts or numbering.',
      },
      { role: 'user', content: `Profile excerpts:\n${excerpts}\n\nQuestion: ${question}` },
    ];
    return this.client.complete(messages);
  }
}
