// The traffic generator's rotation and `slo local inject`'s arguments.
import { callFor, TRAFFIC_SECTION } from '../../infra/local/traffic';
import { parseErrorRate, parseLatency } from '../../slo/cli/local';

test('every 40 calls exercise all four MCP tools, mostly repeated questions (cache hits) and some new ones (misses)', () => {
  const calls = Array.from({ length: 40 }, (_, n) => callFor(n + 40));
  expect(new Set(calls.map((c) => c.tool))).toEqual(new Set(['ask_twin', 'search_profile', 'get_profile', 'update_profile']));
  const questions = Array.from({ length: 320 }, (_, n) => callFor(n)).filter((c) => c.tool === 'ask_twin').map((c) => String(c.args.question));
  const fresh = questions.filter((q) => q.includes('topic number'));
  expect(fresh.length).toBeGreaterThan(0);
  // At most one ask in ten is new: the hit rate stays above the cache SLO's 80% objective once the cache is warm.
  expect(fresh.length / questions.length).toBeLessThan(0.1);
  const updates = calls.filter((c) => c.tool === 'update_profile');
  expect(updates.every((c) => c.args.section === TRAFFIC_SECTION)).toBe(true);
});

test('slo local inject reads shares, percentages and durations, and names what is wrong', () => {
  expect(parseErrorRate('0.5')).toBe(0.5);
  expect(parseErrorRate('25%')).toBe(0.25);
  expect(() => parseErrorRate('1.5')).toThrow('--errors must be a share from 0 to 1, or a percentage (got "1.5")');
  expect(() => parseErrorRate('')).toThrow('--errors must be');
  expect(parseLatency('2s')).toBe(2000);
  expect(parseLatency('500ms')).toBe(500);
  expect(parseLatency('0')).toBe(0);
  expect(() => parseLatency('soon')).toThrow('--latency must be a duration such as 2s, 500ms or 0 (got "soon")');
});
