/**
 * The errors the RBAC for Applications steps explain. Where exchange-facts.md quotes the service, the pattern is
 * built from that exact text; the other texts are Exchange's generic forms or, where marked, the sandbox's own wording
 * for a situation whose real message is unconfirmed.
 */
import { type KnownError, ownWording } from '../../core/known-errors.ts';
import { quoted } from '../../exchange/error-texts.ts';
import { alreadyExists, notFound } from '../../exchange/objects.ts';
import { rbacLink } from './sections.ts';

/**
 * The delegating-assignment refusal's quoted text, wherever it stands in the message (the admin center puts
 * "Error executing request." first).
 */
const DELEGATING = quoted('no-delegating-assignment');

/** The two causes admins report for the refusal (exchange-facts.md section 7), for every explanation of it. */
const DELEGATING_CAUSES =
  'Admins report two causes: most often the signed-in admin is not an explicit member of the Organization Management role group (holding Global Administrator or Exchange Administrator in Entra ID does not pass this check), and on a freshly customized organization the refusal can also last 40 to 60 minutes after customization.';

export const RBAC_ERRORS = {
  delegatingAssignment: {
    id: 'no-delegating-role-assignment',
    title: 'No delegating assignment',
    ...DELEGATING,
    meaning: `Exchange refuses to let you create this management role assignment (the one the message names). ${DELEGATING_CAUSES}`,
    action:
      "Check that you are listed by Get-RoleGroupMember 'Organization Management' (the runbook checks it before it waits). If you are not, add yourself there (Exchange admin center > Roles > Admin roles > Organization Management > Assigned) and sign in again. If you are, wait and run the step again; the runbook already retried with backoff for as long as it may wait.",
    guide: rbacLink('delegating'),
    retryable: true,
  },
  notOrganizationManagementMember: {
    id: 'not-organization-management-member',
    title: 'Not an explicit member of Organization Management',
    ...DELEGATING,
    meaning: `Exchange refuses to let you create this management role assignment, and Get-RoleGroupMember 'Organization Management' does not list you: the first of the causes admins report, so the runbook did not wait. ${DELEGATING_CAUSES}`,
    action:
      "Add yourself to Organization Management explicitly (Exchange admin center > Roles > Admin roles > Organization Management > Assigned, or Add-RoleGroupMember -Identity 'Organization Management' -Member <you>), sign out and in again so a new session starts, then run the step again. An admin who holds the delegating assignment another way can run it as is.",
    guide: rbacLink('delegating'),
  },
  servicePrincipalExists: alreadyExists({
    id: 'service-principal-exists',
    title: 'Service principal already exists',
    meaning: 'Exchange already has a service principal for this application (one per application id).',
    action:
      'Nothing to create: use the existing one (Get-ServicePrincipal shows it), or remove it first if it points to the wrong object id.',
    guide: rbacLink('registerApp'),
  }),
  notEnterpriseAppObjectId: {
    id: 'not-enterprise-application-object-id',
    title: "Not the enterprise application's object id",
    // The sandbox's wording (type TaskArgumentException); how the real service reacts to this mistake is unconfirmed.
    ...ownWording(
      'sandbox',
      "The object id '<id>' is not the object id of the enterprise application for application id '<app>'. Use the Object ID shown under Enterprise applications in Microsoft Entra ID.",
    ),
    meaning:
      'The object id you gave belongs to something else, most often the app registration (Entra admin center > App registrations) rather than the enterprise application (its service principal) that Exchange needs.',
    action:
      'Copy the Object ID from Entra admin center > Enterprise applications > your app > Overview, and run the step again.',
    guide: rbacLink('wrongObjectId'),
  },
  appNotInEntra: {
    id: 'application-not-in-entra',
    title: 'Application not in Microsoft Entra ID',
    // The sandbox's wording; the real service's text is unconfirmed.
    ...ownWording(
      'sandbox',
      "No enterprise application with the application id '<app>' exists in Microsoft Entra ID for this organization.",
    ),
    meaning:
      'Microsoft Entra ID has no enterprise application with this application (client) id in your organization: a typing error, or an app from another tenant that was never consented here.',
    action:
      'Check the Application ID under Entra admin center > Enterprise applications. A multitenant app appears there only after an admin has consented to it in your organization.',
    guide: rbacLink('appRegistration'),
  },
  scopeExists: alreadyExists({
    id: 'management-scope-exists',
    title: 'Management scope already exists',
    meaning: 'A management scope with this name already exists (names are not case-sensitive).',
    action:
      'Use the existing scope if its filter is the one you want (Get-ManagementScope shows it), or choose another name.',
    guide: rbacLink('scope'),
  }),
  assignmentExists: alreadyExists({
    id: 'role-assignment-exists',
    title: 'Role assignment already exists',
    meaning:
      'A management role assignment with this name already exists: the application most likely has this role with this scope already.',
    action:
      'Check with “Verify which mailboxes the application can reach”; remove the old assignment first with “Remove the application role assignment” if you mean to replace it.',
    guide: rbacLink('assignRole'),
  }),
  scopeInUse: {
    id: 'management-scope-in-use',
    title: 'Management scope in use',
    // The sandbox's wording; Exchange refuses to remove a scope that assignments use, its exact text is unconfirmed.
    ...ownWording(
      'sandbox',
      "The management scope '<name>' can't be removed because management role assignments use it: <list>.",
    ),
    meaning:
      'Role assignments still limit an application to this scope; removing it would leave them pointing at nothing.',
    action:
      'Remove the role assignments listed in the message first with “Remove the application role assignment”, then the scope.',
    guide: rbacLink('cleanUp'),
  },
  objectNotFound: notFound({
    id: 'rbac-object-not-found',
    title: 'Service principal, scope or assignment not found',
    meaning:
      'Exchange has no object with the name or id in the message: the service principal, management scope or role assignment does not exist (any more).',
    action:
      'Check the name or id. Register the application with “Register the application in Exchange”, or create the scope with “Create a management scope”, before you assign a role that uses them.',
    guide: rbacLink('assignRole'),
  }),
} satisfies Record<string, KnownError>;
