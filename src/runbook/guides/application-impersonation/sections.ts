/**
 * The ApplicationImpersonation guide's page and the stable addresses of its sections. Steps, known errors and the
 * errors page link here; the e2e tests check that every anchor exists on the built page, so renaming a heading breaks
 * a test instead of a link.
 */
import { type GuidePage, sectionLink } from '../../core/guide.ts';

/**
 * Heading ids of the guide, as Starlight derives them from the heading text (github-slugger).
 * The procedure's entries are listed in the order they appear on the page.
 */
export const IMPERSONATION_SECTIONS = {
  whatChanged: 'what-changed-since-2023',
  roleStillThere: 'is-the-role-still-there',
  errorRoleNotFound: 'error-object-applicationimpersonation-couldnt-be-found',
  leftoverAssignments: 'find-leftover-assignments',
  keepEws: 'keep-ews-running-until-april-2027',
  onPremises: 'exchange-server-on-premises',
  replacement: 'what-replaced-impersonation',
  procedure: 'create-the-role-group-in-the-exchange-admin-center',
  signIn: 'sign-in-to-the-exchange-admin-center',
  addRoleGroup: 'add-a-role-group',
  nameRoleGroup: 'name-the-role-group',
  addPermission: 'add-the-applicationimpersonation-permission',
  chooseMember: 'choose-the-member',
  reviewFinish: 'review-and-finish',
  powershellEquivalent: 'create-the-role-group-with-powershell',
  errorAlreadyExists: 'error-the-object-already-exists',
  errorMemberNotFound: 'error-couldnt-find-object',
  troubleshooting: 'troubleshooting',
  errorNotAllowed: 'error-the-command-isnt-currently-allowed',
  errorDisabledCustomizations: 'error-disabled-customizations-2012-wording',
  installModule: 'install-the-exchange-online-powershell-module',
  connect: 'connect-to-exchange-online',
  errorUnauthorized: 'error-unauthorized',
  enableCustomization: 'enable-organization-customization',
  errorAlreadyEnabled: 'error-already-enabled-for-customization',
  wait: 'wait-for-the-change-to-take-effect',
  checkDehydrated: 'check-isdehydrated',
  stillFailing: 'still-failing-after-isdehydrated-is-false',
  cleanUp: 'clean-up-remove-the-role-group',
} as const;
export type ImpersonationSection = keyof typeof IMPERSONATION_SECTIONS;

/** The page: src/content/docs/guides/application-impersonation.mdx. */
export const IMPERSONATION_PAGE: GuidePage<ImpersonationSection> = {
  slug: 'application-impersonation',
  title: 'Enable ApplicationImpersonation',
  path: '/guides/application-impersonation/',
  sections: IMPERSONATION_SECTIONS,
};

/** The procedure's headings from sign-in to clean-up, in page order (the e2e test checks this order). */
export const PROCEDURE_ORDER: readonly ImpersonationSection[] = [
  'procedure',
  'signIn',
  'addRoleGroup',
  'nameRoleGroup',
  'addPermission',
  'chooseMember',
  'reviewFinish',
  'powershellEquivalent',
  'errorAlreadyExists',
  'errorMemberNotFound',
  'troubleshooting',
  'errorNotAllowed',
  'errorDisabledCustomizations',
  'installModule',
  'connect',
  'errorUnauthorized',
  'enableCustomization',
  'errorAlreadyEnabled',
  'wait',
  'checkDehydrated',
  'stillFailing',
  'cleanUp',
];

/** Link to one section of the ApplicationImpersonation guide, e.g. for `KnownError.guide`. */
export function impersonationLink(section: ImpersonationSection): string {
  return sectionLink(IMPERSONATION_PAGE, section);
}
