/**
 * What a guide is to the code: its page (slug, URL path, heading ids) and its live steps in the order the page shows
 * them. Each guide is one folder under guides/; the catalog lists them (GUIDES), and the checklist, the errors page
 * and the test flows iterate over that list.
 */
import type { StepDefinition } from './step.ts';

/** The errors reference page's URL path. */
export const ERRORS_PAGE = '/reference/errors/';

/** A guide's page: `slug` is also its folder name, its MDX file (guides/<slug>.mdx) and its test flows' file. */
export interface GuidePage<Section extends string = string> {
  slug: string;
  /** The page's title, as in its frontmatter. */
  title: string;
  /** URL path of the page, `/guides/<slug>/`. */
  path: string;
  /** Heading ids by key, as Starlight derives them from the heading text (github-slugger). */
  sections: Readonly<Record<Section, string>>;
}

/** A guide: its page and the steps it runs, in page order. */
export interface Guide extends GuidePage {
  /** Every live step of the page, in the order its RunStep components appear (a test checks that order). */
  steps: readonly StepDefinition[];
  /** The steps the page's progress checklist (StepChecklist) follows, in page order; all of `steps` when absent. */
  checklist?: readonly StepDefinition[];
}

/** Link to one section of a guide's page, e.g. for `KnownError.guide`. */
export function sectionLink<Section extends string>(page: GuidePage<Section>, section: Section): string {
  return `${page.path}#${page.sections[section]}`;
}
