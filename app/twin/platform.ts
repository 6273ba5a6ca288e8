// Maps the free-text platform a client names to the bounded set used for metrics and analytics.

import { PLATFORMS } from '../telemetry/catalog';
import type { Platform } from '../observer';

const KNOWN = new Set<string>(PLATFORMS);

export function normalizePlatform(raw: string | undefined): Platform {
  const p = (raw ?? '').trim().toLowerCase();
  if (!p) return 'other';
  if (KNOWN.has(p)) return p as Platform;
  if (p.includes('claude')) return 'claude';
  if (p.includes('gpt') || p.includes('openai')) return 'chatgpt';
  if (p.includes('code')) return 'vscode';
  return 'other';
}
