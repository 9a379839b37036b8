/** Reads the site's MDX sources so tests can compare what was written with what was built. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const docsDir = path.resolve(import.meta.dirname, '..', '..', 'src', 'content', 'docs');

export const GUIDE_SOURCE = 'guides/application-impersonation.mdx';
export const ERRORS_SOURCE = 'reference/errors.mdx';

export interface FencedBlock {
  lang: string;
  meta: string;
  code: string;
  /** Index of the opening fence in the source, to check what sits right above a block. */
  offset: number;
}

/** The text of one MDX page under src/content/docs. */
export function readDoc(relativePath: string): string {
  return readFileSync(path.join(docsDir, relativePath), 'utf8');
}

/** Every fenced code block of an MDX source, in order. */
export function fencedBlocks(mdx: string): FencedBlock[] {
  return [...mdx.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)\n```$/gm)].map((m) => ({
    lang: m[1]!,
    meta: m[2]!.trim(),
    code: m[3]!,
    offset: m.index,
  }));
}
