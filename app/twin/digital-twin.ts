// The Digital Twin: answers, searches and updates the profile; owns caching, tracing spans, metrics and query analytics.

import { createHash } from 'node:crypto';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { QueryEvent, QueryEvents } from '../analytics/query-events';
import type { Caller } from '../auth/caller';
import type { LayeredCache } from '../cache/layered-cache';
import type { AppLogger } from '../logger';
import type { AppObserver, Platform } from '../observer';
import type { AnswerMode, Answerer } from './answer';
import { LlmError } from './groq-client';
import type { ProfileSection } from './profile';
import type { ProfileIndex } from './profile-index';
import type { ProfileStore, SectionRevision } from './profile-store';
import { VectorIndexError, type VectorMatch } from './vector-index';

export interface Source {
  section: string;
  heading: string;
  chunkId: string;
  score: number;
}

export interface TwinAnswer {
  answer: string;
  mode: AnswerMode;
  sources: Source[];
}

export interface AskResult extends TwinAnswer {
  cached: boolean;
}

export interface SearchHit extends Source {
  text: string;
}

/** Below this cosine a chunk shares little more than common letter n-grams with the question. */
export const MIN_RELEVANCE = 0.12;

export const tracer = () => trace.getTracer('digital-twin-mcp');

/** A stable, non-reversible handle on a question for spans and cache keys; the text itself never leaves the request. */
export function questionHash(question: string): string {
  return createHash('sha256').update(question.trim().toLowerCase().replace(/\s+/g, ' ')).digest('hex').slice(0, 16);
}

export interface TwinDeps {
  index: ProfileIndex;
  profiles: ProfileStore;
  answerer: Answerer;
  cache: LayeredCache<TwinAnswer>;
  events: QueryEvents;
  observer: AppObserver;
  logger: AppLogger;
}

export class DigitalTwin {
  constructor(private readonly deps: TwinDeps) {}

  /** Seeds the store from the shipped profile on first start, then indexes the current revision of every section. */
  async init(shipped: readonly ProfileSection[]): Promise<void> {
    if (await this.deps.profiles.seedIfEmpty(shipped)) this.deps.logger.info('Profile seeded from the shipped files', { sections: shipped.length });
    for (const s of await this.deps.profiles.current()) await this.deps.index.indexSection(s.section, s.content);
  }

  get answerMode(): AnswerMode {
    return this.deps.answerer.mode;
  }

  async ask(question: string, platform: Platform, caller: Caller): Promise<AskResult> {
    const started = performance.now();
    return tracer().startActiveSpan('digital-twin-query', async (span) => {
      span.setAttributes({
        'question.length': question.length,
        'question.hash': questionHash(question),
        'query.platform': platform,
        'user.tier': caller.tier,
      });
      let resultsCount = 0;
      try {
        const key = `ask:${questionHash(question)}`;
        const cached = await this.deps.cache.get(key);
        let result: AskResult;
        if (cached) {
          result = { ...cached, cached: true };
        } else {
          const matches = await this.vectorSearch(question, this.deps.answerer.passages);
          const answer = await this.generate(question, matches);
          const fresh: TwinAnswer = { answer, mode: this.deps.answerer.mode, sources: matches.map(toSource) };
          await this.deps.cache.set(key, fresh);
          result = { ...fresh, cached: false };
        }
        resultsCount = result.sources.length;
        span.setAttributes({ 'results.count': resultsCount, 'response.length': result.answer.length, 'cache.hit': result.cached, 'answer.mode': result.mode });
        span.setStatus({ code: SpanStatusCode.OK });
        await this.recordQuery(caller, 'ask_twin', platform, question, started, resultsCount, true);
        return result;
      } catch (err) {
        failSpan(span, err);
        this.countError(err);
        await this.recordQuery(caller, 'ask_twin', platform, question, started, resultsCount, false);
        throw err;
      } finally {
        span.end();
      }
    });
  }

  async search(query: string, limit: number, platform: Platform, caller: Caller): Promise<SearchHit[]> {
    const started = performance.now();
    try {
      const matches = await this.vectorSearch(query, limit);
      await this.recordQuery(caller, 'search_profile', platform, query, started, matches.length, true);
      return matches.map((m) => ({ ...toSource(m), text: m.metadata.text }));
    } catch (err) {
      this.countError(err);
      await this.recordQuery(caller, 'search_profile', platform, query, started, 0, false);
      throw err;
    }
  }

  async profile(section?: string): Promise<SectionRevision[]> {
    const current = await this.deps.profiles.current();
    return section === undefined ? current : current.filter((s) => s.section === section);
  }

  /** Stores a new revision, re-indexes only that section, then drops every cached answer (they may cite the old text). */
  async update(section: string, content: string, caller: Caller): Promise<{ revision: SectionRevision; chunks: number }> {
    const revision = await this.deps.profiles.addRevision(section, content, caller.keyId);
    const chunks = await this.deps.index.indexSection(section, content);
    await this.deps.cache.invalidate();
    this.deps.observer.profileUpdated();
    return { revision, chunks: chunks.length };
  }

  private async vectorSearch(text: string, limit: number): Promise<VectorMatch[]> {
    return tracer().startActiveSpan('vector-search', async (span) => {
      const started = performance.now();
      try {
        const matches = (await this.deps.index.search(text, limit)).filter((m) => m.score >= MIN_RELEVANCE);
        span.setAttributes({ 'results.count': matches.length, 'vector.backend': this.deps.index.index.kind });
        return matches;
      } catch (err) {
        failSpan(span, err);
        throw err;
      } finally {
        this.deps.observer.vectorQuery((performance.now() - started) / 1000);
        span.end();
      }
    });
  }

  /** The extractive mode is timed and traced too, with llm.mode saying which generator ran. */
  private async generate(question: string, matches: readonly VectorMatch[]): Promise<string> {
    return tracer().startActiveSpan('llm-generation', async (span) => {
      const started = performance.now();
      span.setAttribute('llm.mode', this.deps.answerer.mode);
      try {
        const answer = await this.deps.answerer.answer(question, matches);
        span.setAttribute('response.length', answer.length);
        return answer;
      } catch (err) {
        failSpan(span, err);
        throw err;
      } finally {
        this.deps.observer.llmGeneration((performance.now() - started) / 1000);
        span.end();
      }
    });
  }

  private countError(err: unknown): void {
    if (err instanceof LlmError) this.deps.observer.error('llm', 'high');
    else if (err instanceof VectorIndexError) this.deps.observer.error('vector', 'high');
    else this.deps.observer.error('server_error', 'high');
  }

  private async recordQuery(
    caller: Caller,
    tool: QueryEvent['tool'],
    platform: Platform,
    question: string,
    started: number,
    resultsCount: number,
    success: boolean,
  ): Promise<void> {
    this.deps.observer.queryExecuted(platform, caller.tier);
    const latencyMs = performance.now() - started;
    try {
      await this.deps.events.record({ keyId: caller.keyId, userId: caller.userId, tool, platform, tier: caller.tier, latencyMs, resultsCount, success, question });
    } catch (err) {
      // Analytics must never fail the query it describes.
      this.deps.observer.error('database', 'medium');
      this.deps.logger.warn('Query analytics event not stored', { tool, error: (err as Error).message });
    }
  }
}

function toSource(m: VectorMatch): Source {
  return { section: m.metadata.section, heading: m.metadata.heading, chunkId: m.id, score: Math.round(m.score * 1000) / 1000 };
}

function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : new Error(String(err)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}
