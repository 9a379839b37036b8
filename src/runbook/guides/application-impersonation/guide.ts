/**
 * The ApplicationImpersonation guide (src/content/docs/guides/application-impersonation.mdx): its page and its live
 * steps in the order the page shows them.
 */
import type { Guide } from '../../core/guide.ts';
import { IMPERSONATION_PAGE } from './sections.ts';
import { checkDehydrated } from './steps/check-dehydrated.ts';
import { checkImpersonationRole } from './steps/check-impersonation-role.ts';
import { createRoleGroup } from './steps/create-role-group.ts';
import { enableCustomization } from './steps/enable-customization.ts';
import { removeRoleGroup } from './steps/remove-role-group.ts';

export const applicationImpersonation = {
  ...IMPERSONATION_PAGE,
  steps: [checkImpersonationRole, createRoleGroup, enableCustomization, checkDehydrated, removeRoleGroup],
} satisfies Guide;
