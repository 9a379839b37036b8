/**
 * The RBAC for Applications guide's page and the stable addresses of its sections. Steps and known errors link here;
 * the e2e test checks that every anchor exists on the built page, so renaming a heading breaks a test instead of a
 * link.
 */
import { type GuidePage, sectionLink } from '../../core/guide.ts';

/** Heading ids of the guide, as Starlight derives them from the heading text (github-slugger). */
export const RBAC_SECTIONS = {
  whyGone: 'why-impersonation-went-away',
  findAssignments: 'find-what-still-uses-applicationimpersonation',
  appRegistration: 'before-you-start-the-app-registration',
  registerApp: 'register-the-application-in-exchange',
  wrongObjectId: 'error-the-object-id-is-not-the-enterprise-applications',
  scope: 'limit-the-mailboxes-with-a-management-scope',
  filterSyntax: 'filter-syntax',
  chooseRole: 'choose-the-application-role',
  assignRole: 'assign-the-role',
  delegating: 'error-you-must-be-assigned-a-delegating-role-assignment',
  entraConsents: 'remove-unscoped-consents-in-entra-id',
  verify: 'verify-which-mailboxes-the-app-can-reach',
  accessPolicies: 'do-not-create-application-access-policies',
  cleanUp: 'clean-up',
} as const;
export type RbacSection = keyof typeof RBAC_SECTIONS;

/** The page: src/content/docs/guides/rbac-for-applications.mdx. */
export const RBAC_PAGE: GuidePage<RbacSection> = {
  slug: 'rbac-for-applications',
  title: 'Give an application mailbox access with RBAC for Applications',
  path: '/guides/rbac-for-applications/',
  sections: RBAC_SECTIONS,
};

/** Link to one section of the RBAC for Applications guide. */
export function rbacLink(section: RbacSection): string {
  return sectionLink(RBAC_PAGE, section);
}
