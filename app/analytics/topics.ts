// Popular topics: keyword extraction over question texts (stop words out, simple plural folding, counted once per question).

import { tokenize } from '../twin/embedding';

export interface TopicCount {
  topic: string;
  queries: number;
  share: number;
}

/** Question words and filler that survive the embedder's stop list but say nothing about the topic. */
const FILLER = new Set('tell know like much many ever worked work done give describe think any best main kind'.split(' '));

/** Plural to singular, but only when the singular was also asked about ("kubernetes" stays whole). */
function singular(word: string, seen: ReadonlySet<string>): string {
  const candidates = word.endsWith('ies') ? [`${word.slice(0, -3)}y`] : word.endsWith('s') ? [word.slice(0, -1), word.slice(0, -2)] : [];
  return candidates.find((c) => c.length >= 3 && seen.has(c)) ?? word;
}

export function popularTopics(questions: readonly string[], limit = 10): TopicCount[] {
  const perQuestion = questions.map((q) => tokenize(q).filter((w) => w.length >= 3 && !FILLER.has(w) && !/^\d+$/.test(w)));
  const seen = new Set(perQuestion.flat());
  const counts = new Map<string, number>();
  for (const words of perQuestion) {
    for (const t of new Set(words.map((w) => singular(w, seen)))) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const total = questions.length || 1;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([topic, queries]) => ({ topic, queries, share: Math.round((queries / total) * 1000) / 1000 }));
}
