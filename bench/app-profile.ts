// Synthetic profiles for the app benchmark: N retrieval chunks of varied, realistic-sounding text, written as .md sections.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SUBJECTS = ['Kubernetes', 'PostgreSQL', 'Prometheus', 'Terraform', 'Argo CD', 'Grafana', 'Redis', 'Envoy', 'Go services', 'TypeScript tooling', 'CI pipelines', 'incident reviews', 'SLO reports', 'cost dashboards', 'Helm charts', 'Jaeger tracing'];
const VERBS = ['designed', 'migrated', 'tuned', 'automated', 'documented', 'rebuilt', 'scaled', 'secured', 'monitored', 'simplified'];
const OUTCOMES = ['cutting latency by a third', 'halving the on-call load', 'saving 20 percent of compute', 'removing a week of toil per quarter', 'making releases boring', 'reaching 99.95 percent availability'];
const CONTEXTS = ['for a payments team', 'across 14 services', 'during a zero-downtime migration', 'with two junior engineers', 'under a strict compliance audit', 'for the mobile backend'];

/** A small deterministic PRNG (mulberry32), so every benchmark run indexes the same text. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeSyntheticProfile(dir: string, chunks: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const random = rng(chunks);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const sections = Math.max(1, Math.min(50, Math.ceil(chunks / 200)));
  for (let s = 0; s < sections; s++) {
    const count = Math.floor(chunks / sections) + (s < chunks % sections ? 1 : 0);
    const paragraphs = Array.from({ length: count }, (_, i) =>
      `I ${pick(VERBS)} ${pick(SUBJECTS)} ${pick(CONTEXTS)}, ${pick(OUTCOMES)}. Project ${s}-${i} also touched ${pick(SUBJECTS)} and ${pick(SUBJECTS)}.`,
    );
    await writeFile(path.join(dir, `section-${String(s).padStart(2, '0')}.md`), `# Section ${s}\n\n${paragraphs.join('\n\n')}\n`);
  }
}

export function benchQuestion(i: number): string {
  const random = rng(i + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  return `How have you ${pick(VERBS)} ${pick(SUBJECTS)} ${pick(CONTEXTS)}? (#${i})`;
}
