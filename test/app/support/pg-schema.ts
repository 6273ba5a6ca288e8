// Removal of the per-run PostgreSQL schema that tests against the machine's real database create.
import { Client } from 'pg';

/** Drops the schema and everything in it. */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const pg = new Client({ connectionString });
  await pg.connect();
  try {
    await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pg.end();
  }
}
