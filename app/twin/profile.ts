// The profile: named markdown sections (summary, experience, ...) loaded from a directory of .md files.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProfileSection {
  /** File stem, e.g. `contact-preferences`; the unit of update and of citation. */
  section: string;
  content: string;
}

export const SECTION_NAME = /^[a-z][a-z0-9-]{0,39}$/;
export const SECTION_NAME_RULE = 'lower-case letters, digits and dashes, starting with a letter, at most 40 characters';

export async function loadProfileDir(dir: string): Promise<ProfileSection[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new Error(`Profile directory ${dir} cannot be read`);
  }
  const sections: ProfileSection[] = [];
  for (const name of names.filter((n) => n.endsWith('.md')).sort()) {
    const section = name.slice(0, -3);
    if (!SECTION_NAME.test(section)) {
      throw new Error(`Profile file ${path.join(dir, name)}: section name "${section}" must be ${SECTION_NAME_RULE}`);
    }
    sections.push({ section, content: await readFile(path.join(dir, name), 'utf8') });
  }
  if (sections.length === 0) throw new Error(`Profile directory ${dir} holds no .md sections`);
  return sections;
}
