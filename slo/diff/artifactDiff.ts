// Which rendered files (rules, promtool tests, Alertmanager config, dashboards) a spec change alters, as unified diffs.
import type { RenderedFile } from '../generate';
import { unifiedDiff } from './lineDiff';

export interface ArtifactChange {
  path: string;
  status: 'added' | 'removed' | 'modified';
  /** Lines added and removed, for the summary. */
  added: number;
  removed: number;
  diff: string;
}

function counts(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++ ')) added++;
    else if (line.startsWith('-') && !line.startsWith('--- ')) removed++;
  }
  return { added, removed };
}

/** Every file whose content differs between the two renders, sorted by path. */
export function diffArtifacts(before: readonly RenderedFile[], after: readonly RenderedFile[]): ArtifactChange[] {
  const old = new Map(before.map((f) => [f.path, f.content]));
  const now = new Map(after.map((f) => [f.path, f.content]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  const out: ArtifactChange[] = [];
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (a === b) continue;
    const diff = unifiedDiff(a ?? '', b ?? '', { from: a === undefined ? '/dev/null' : `a/${path}`, to: b === undefined ? '/dev/null' : `b/${path}` });
    const status = a === undefined ? 'added' : b === undefined ? 'removed' : 'modified';
    out.push({ path, status, ...counts(diff), diff });
  }
  return out;
}
