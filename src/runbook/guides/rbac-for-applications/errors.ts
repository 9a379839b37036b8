/**
 * The errors the RBAC for Applications steps explain. Where exchange-facts.md quotes the service, the pattern is
 * built from that exact text; the other texts are Exchange's generic forms or, where marked, the sandbox's own wording
 * for a situation whose real message is unconfirmed.
 */
import { type KnownError, ownWording } from '../../core/known-errors.ts';
import { quoted } from '../../exchange/error-texts.ts';
import { alreadyExists, notFound } from '../../exchange/objects.ts';
import { rbacLink } from './sections.ts';

export const RBAC_ERRORS = {
  delegatingAssignment: {
    id: 'no-delegating-role-assignment',
    title: 'No delegating assignment',
    // The field reports elide parts of it ("..."), which match any text here.
    ...quoted('no-delegating-assignment'),
    meaning:
      'Exchange does not count you as allowed to assign this application role yet. On a freshly customized organization this is a propagation delay: admins report it for 40 to 60 minutes after customization. Members of Organization Management hold the delegating assignment for the application roles.',
    action:
      'Wait and run the step again; the runbook already retried with backoff for as long as it may wait. If it still fails hours later, check that you are a member of Organization Management.',
    guide: rbacLink('delegating'),
    retryable: true,
  },
  servicePrincipalExists: alreadyExists({
    id: 'service-principal-exists',
    title: 'Service principal already exists',
    meaning: 'Exchange already has a service principal for this application (one per application id).',
    action: 'Nothing to create: use the existing one (Get-ServicePrincipal shows it), or remove it first if it points to the wrong object id.',
    guide: rbacLink('registerApp'),
  }),
  notEnterpriseAppObjectId: {
    id: 'not-enterprise-application-object-id',
    title: "Not the enterprise application's object id",
    // The sandbox's wording (type TaskArgumentException); how the real service reacts to this mistake is unconfirmed.
    ...ownWording('sandbox', "The object id '<id>' is not the object id of the enterprise application for application id '<app>'. Use the Object ID shown under Enterprise applications in Microsoft Entra ID."),
    meaning:
      "The object id you gave belongs to something else, most often the app registration (Entra admin center > App registrations) rather than the enterprise application (its service principal) that Exchange needs.",
    action: 'Copy the Object ID from Entra admin center > Enterprise applications > your app > Overview, and run the step again.',
    guide: rbacLink('wrongObjectId'),
  },
  appNotInEntra: {
    id: 'application-not-in-entra',
    title: 'Application not in Microsoft Entra ID',
    // The sandbox's wording; the real service's text is unconfirmed.
    ...ownWording('sandbox', "No enterprise application with the application id '<app>' exists in Microsoft Entra ID for this organization."),
    meaning: 'Microsoft Entra ID has no enterprise application with this application (client) id in your organization: a typing error, or an app from another tenant that was never consented here.',
    action: 'Check the Application ID under Entra admin center > Enterprise applications. A multitenant app appears there only after an admin has consented to it in your organization.',
    guide: rbacLink('appRegistration'),
  },
  scopeExists: alreadyExists({
    id: 'management-scope-exists',
    title: 'Management scope already exists',
    meaning: 'A management scope with this name already exists (names are not case-sensitive).',
    action: 'Use the existing scope if its filter is the one you want (Get-ManagementScope shows it), or choose another name.',
    guide: rbacLink('scope'),
  }),
  assignmentExists: alreadyExists({
    id: 'role-assignment-exists',
    title: 'Role assignment already exists',
    meaning: 'A management role assignment with this name already exists: the application most likely has this role with this scope already.',
    action: 'Check with test-app-authorization; remove the old assignment first (remove-application-role-assignment) if you mean to replace it.',
    guide: rbacLink('assignRole'),
  }),
  scopeInUse: {
    id: 'management-scope-in-use',
    title: 'Management scope in use',
    // The sandbox's wording; Exchange refuses to remove a scope that assignments use, its exact text is unconfirmed.
    ...ownWording('sandbox', "The management scope '<name>' can't be removed because management role assignments use it: <list>."),
    meaning: 'Role assignments still limit an application to this scope; removing it would leave them pointing at nothing.',
    action: 'Remove the role assignments listed in the message first (remove-application-role-assignment), then the scope.',
    guide: rbacLink('cleanUp'),
  },
  objectNotFound: notFound({
    id: 'rbac-object-not-found',
    title: 'Service principal, scope or assignment not found',
    meaning: 'Exchange has no object with the name or id in the message: the service principal, management scope or role assignment does not exist (any more).',
    action: 'Check the name or id. Register the application (create-service-principal) or create the scope (create-management-scope) before you assign a role that uses them.',
    guide: rbacLink('assignRole'),
  }),
} satisfies Record<string, KnownError>;
