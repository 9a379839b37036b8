/**
 * The EWS guide's page and the stable addresses of its sections. Steps and known errors link here; the e2e test checks
 * that every anchor exists on the built page, so renaming a heading breaks a test instead of a link.
 */
import { type GuidePage, sectionLink } from '../../core/guide.ts';

/** Heading ids of the guide, as Starlight derives them from the heading text (github-slugger). */
export const EWS_SECTIONS = {
  timeLeft: 'how-long-ews-has-left',
  bridge: 'the-allow-list-is-a-bridge-not-a-fix',
  beforeYouStart: 'before-you-start',
  readPolicy: 'read-the-organizations-ews-policy',
  settings: 'what-ewsenabled-and-ewsallowedappids-mean',
  allow: 'allow-the-application',
  tenantWide: 'what-changes-for-the-whole-organization',
  listChanged: 'error-the-allow-list-has-changed',
  notConfirmed: 'error-not-confirmed',
  parameterMissing: 'error-a-parameter-cannot-be-found',
  mailboxes: 'check-the-applications-mailboxes',
  mailboxOn: 'turn-ews-on-for-one-mailbox',
  remove: 'remove-an-application-from-the-list',
  lasting: 'the-lasting-path-microsoft-graph',
} as const;
export type EwsSection = keyof typeof EWS_SECTIONS;

/** The page: src/content/docs/guides/keep-ews-working.mdx. */
export const EWS_PAGE: GuidePage<EwsSection> = {
  slug: 'keep-ews-working',
  title: 'Keep an EWS application working until April 2027',
  path: '/guides/keep-ews-working/',
  sections: EWS_SECTIONS,
};

/** Link to one section of the EWS guide. */
export function ewsLink(section: EwsSection): string {
  return sectionLink(EWS_PAGE, section);
}
