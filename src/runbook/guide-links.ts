/**
 * Stable addresses of the guide's sections: the one place that knows them. Steps, known errors and the errors page
 * link here; the e2e tests check every anchor against the built page, so renaming a heading breaks a test, not a link.
 */

/** The ApplicationImpersonation guide's URL path. */
export const IMPERSONATION_GUIDE = '/guides/application-impersonation/';

/** The errors reference page's URL path. */
export const ERRORS_PAGE = '/reference/errors/';

/** Heading ids of the guide, as Starlight derives them from the heading text (github-slugger). */
export const GUIDE_SECTIONS = {
  whatChanged: 'what-changed-since-2023',
  checkRole: 'is-the-role-still-there',
  roleNotFound: 'error-object-applicationimpersonation-couldnt-be-found',
  leftoverAssignments: 'find-leftover-assignments',
  keepEws: 'keep-ews-running-until-april-2027',
  onPremises: 'exchange-server-on-premises',
  replacement: 'what-replaced-impersonation',
  procedure: 'create-the-role-group-in-the-exchange-admin-center',
  signIn: 'sign-in-to-the-exchange-admin-center',
  addRoleGroup: 'add-a-role-group',
  roleGroupName: 'name-the-role-group',
  addPermission: 'add-the-applicationimpersonation-permission',
  chooseMember: 'choose-the-member',
  reviewFinish: 'review-and-finish',
  createRoleGroup: 'create-the-role-group-with-powershell',
  roleGroupExists: 'error-the-object-already-exists',
  memberNotFound: 'error-couldnt-find-object',
  troubleshooting: 'troubleshooting',
  notAllowed: 'error-the-command-isnt-currently-allowed',
  disabledCustomizations: 'error-disabled-customizations-2012-wording',
  installModule: 'install-the-exchange-online-powershell-module',
  connect: 'connect-to-exchange-online',
  enableCustomization: 'enable-organization-customization',
  alreadyEnabled: 'error-already-enabled-for-customization',
  wait: 'wait-for-the-change-to-take-effect',
  waitForCustomization: 'check-isdehydrated',
  propagation: 'still-failing-after-isdehydrated-is-false',
  removeRoleGroup: 'clean-up-remove-the-role-group',
} as const;
export type GuideSection = keyof typeof GUIDE_SECTIONS;

/** The procedure's headings from sign-in to clean-up, in page order (the e2e test checks this order). */
export const PROCEDURE_ORDER: readonly GuideSection[] = [
  'procedure', 'signIn', 'addRoleGroup', 'roleGroupName', 'addPermission', 'chooseMember', 'reviewFinish',
  'createRoleGroup', 'roleGroupExists', 'memberNotFound', 'troubleshooting', 'notAllowed', 'disabledCustomizations',
  'installModule', 'connect', 'enableCustomization', 'alreadyEnabled', 'wait', 'waitForCustomization', 'propagation',
  'removeRoleGroup',
];

/** Link to one section of the ApplicationImpersonation guide, e.g. for `KnownError.guide`. */
export function guideLink(section: GuideSection): string {
  return `${IMPERSONATION_GUIDE}#${GUIDE_SECTIONS[section]}`;
}
