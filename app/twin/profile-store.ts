// The profile's revision history in the store: every update adds a revision; the latest per section is current.

import type { Db } from '../store/db';
import type { ProfileSection } from './profile';

export interface SectionRevision extends ProfileSection {
  revision: number;
  createdAt: Date;
}

interface RevisionRow {
  section: string;
  revision: number;
  content: string;
  created_at: Date | string;
}

const toRevision = (r: RevisionRow): SectionRevision => ({
  section: r.section,
  revision: Number(r.revision),
  content: r.content,
  createdAt: new Date(r.created_at),
});

export class ProfileStore {
  constructor(private readonly db: Db) {}

  /** Seeds revision 1 of each section from the shipped files, once: an existing history is never overwritten. */
  async seedIfEmpty(sections: readonly ProfileSection[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM profile_revisions');
      if (Number(n) > 0) return false;
      for (const s of sections) {
        await tx.query('INSERT INTO profile_revisions (section, revision, content) VALUES ($1, 1, $2)', [s.section, s.content]);
      }
      return true;
    });
  }

  async current(): Promise<SectionRevision[]> {
    const rows = await this.db.query<RevisionRow>(
      `SELECT DISTINCT ON (section) section, revision, content, created_at
         FROM profile_revisions ORDER BY section, revision DESC`,
    );
    return rows.map(toRevision);
  }

  async history(section: string): Promise<SectionRevision[]> {
    const rows = await this.db.query<RevisionRow>(
      'SELECT section, revision, content, created_at FROM profile_revisions WHERE section = $1 ORDER BY revision',
      [section],
    );
    return rows.map(toRevision);
  }

  /** Adds the next revision of a section; concurrent writers to one section are serialised by the unique (section, revision). */
  async addRevision(section: string, content: string, authorKeyId: string): Promise<SectionRevision> {
    const rows = await this.db.query<RevisionRow>(
      `INSERT INTO profile_revisions (section, revision, content, author_key_id)
       SELECT $1, COALESCE(MAX(revision), 0) + 1, $2, $3 FROM profile_revisions WHERE section = $1
       RETURNING section, revision, content, created_at`,
      [section, content, authorKeyId],
    );
    return toRevision(rows[0]);
  }
}
