// Chunking, hashed n-gram embeddings and the in-process vector index, on the shipped sample profile.

import path from 'node:path';
import fc from 'fast-check';
import { chunkSection } from '../../../app/twin/chunking';
import { HashedNgramEmbedder, cosine } from '../../../app/twin/embedding';
import { MemoryVectorIndex } from '../../../app/twin/memory-index';
import { loadProfileDir } from '../../../app/twin/profile';
import { ProfileIndex } from '../../../app/twin/profile-index';

const PROFILE_DIR = path.resolve(__dirname, '../../../app/profile');

test('the sample profile has the expected sections and every chunk is bounded and carries its heading', async () => {
  const sections = await loadProfileDir(PROFILE_DIR);
  expect(sections.map((s) => s.section)).toEqual(['contact-preferences', 'education', 'experience', 'projects', 'skills', 'summary']);
  for (const s of sections) {
    const chunks = chunkSection(s.section, s.content);
    expect(chunks.length).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(700);
      expect(c.text).not.toMatch(/^#/);
    }
  }
  const education = chunkSection('education', sections.find((s) => s.section === 'education')!.content);
  expect(education.map((c) => c.text)).toContain('BSc in Software Engineering, University of Gothenburg (2009 to 2012)');
});

test('a long paragraph is cut at sentence boundaries without losing text', () => {
  const sentence = 'I tuned PostgreSQL connection pools for a payments platform. ';
  const chunks = chunkSection('notes', `# Notes\n\n${sentence.repeat(40)}`);
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).toBe(sentence.repeat(40).trim());
});

test('embeddings are unit length and deterministic; similar texts score higher than unrelated ones', () => {
  const e = new HashedNgramEmbedder(256);
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 200 }), (text) => {
      const v = e.embed(text);
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      expect(norm === 0 || Math.abs(norm - 1) < 1e-5).toBe(true);
      expect(Array.from(e.embed(text))).toEqual(Array.from(v));
    }),
    { numRuns: 200 },
  );
  const q = e.embed('Kubernetes platform engineering');
  expect(cosine(q, e.embed('I designed our multi-tenant Kubernetes platform'))).toBeGreaterThan(cosine(q, e.embed('My thesis studied tail latency')));
});

test('the memory index returns the top K by cosine, in order, and forgets deleted ids', async () => {
  const e = new HashedNgramEmbedder(128);
  const index = new MemoryVectorIndex();
  const texts = ['kubernetes clusters', 'postgres tuning', 'grafana dashboards', 'kubernetes operators', 'tail latency'];
  await index.upsert(texts.map((t, i) => ({ id: `s#${i}`, vector: e.embed(t), metadata: { section: 's', heading: 'h', text: t } })));
  const q = e.embed('kubernetes');
  const top = await index.query(q, 2);
  expect(top.map((m) => m.metadata.text).sort()).toEqual(['kubernetes clusters', 'kubernetes operators']);
  const brute = texts.map((t, i) => ({ id: `s#${i}`, score: cosine(q, e.embed(t)) })).sort((a, b) => b.score - a.score);
  expect(top.map((m) => m.id)).toEqual(brute.slice(0, 2).map((b) => b.id));
  await index.delete(['s#0', 's#3']);
  expect(await index.count()).toBe(3);
  expect((await index.query(q, 5)).map((m) => m.id)).not.toContain('s#0');
});

test('re-indexing a section replaces its chunks: fewer chunks leave no stale ids behind', async () => {
  const index = new MemoryVectorIndex();
  const profile = new ProfileIndex(new HashedNgramEmbedder(128), index);
  await profile.indexSection('skills', '# Skills\n\nGo.\n\nRust.\n\nSQL.');
  expect(await index.count()).toBe(3);
  await profile.indexSection('skills', '# Skills\n\nTypeScript only.');
  expect(await index.count()).toBe(1);
  expect((await profile.search('TypeScript', 5))[0].metadata.text).toBe('TypeScript only.');
});
