// End-to-end MCP flows on the embedded defaults: PGlite (one in-memory instance for this file), in-process vectors, L1 cache.

import { openPglite } from '../../app/store/pglite-db';
import type { Db } from '../../app/store/db';
import { startTwin, type RunningTwin } from './support/harness';
import { defineMcpFlows } from './support/mcp-flows';

let db: Db;
let twin: RunningTwin;

beforeAll(async () => {
  db = await openPglite('memory://');
  twin = await startTwin({ db });
}, 60_000);

afterAll(async () => {
  await twin?.close();
  await db?.close();
});

defineMcpFlows(() => twin);
