/**
 * Errors of the RBAC for Applications cmdlets that errors.ts does not already word. Where exchange-facts.md quotes the
 * service the quoted parts are exact; the rest is marked as the sandbox's own wording.
 */
import type { ExoError } from '../../src/runbook/types.ts';

/** An Exchange service error, as errors.ts builds them (category NotSpecified, reason = the type's short name). */
function serviceError(type: string, message: string): ExoError {
  return { message, type, category: 'NotSpecified', reason: type.slice(type.lastIndexOf('.') + 1) };
}

const TASK_ARGUMENT = 'Microsoft.Exchange.Configuration.Tasks.TaskArgumentException';

export const rbacErrors = {
  /**
   * The delegating-assignment refusal as Microsoft Q&A copies quote it (exchange-facts.md section 7): it names the
   * assignment, `<tenant>.onmicrosoft.com\<assignment name>`, not the role. The exception's name is the sandbox's.
   */
  noDelegatingAssignment: (domain: string, assignment: string) =>
    serviceError(
      'Microsoft.Exchange.Configuration.Tasks.OperationRequiresDelegatingRoleAssignmentException',
      `You don't have access to create, change, or remove the "${domain}\\${assignment}" management role assignment. You must be assigned a delegating role assignment to the management role or its parent in the hierarchy without a scope restriction.`,
    ),
  /** The sandbox's wording: the real service's reaction to an app registration's object id is unconfirmed. */
  notEnterpriseAppObjectId: (objectId: string, appId: string) =>
    serviceError(
      TASK_ARGUMENT,
      `The object id '${objectId}' is not the object id of the enterprise application for application id '${appId}'. Use the Object ID shown under Enterprise applications in Microsoft Entra ID.`,
    ),
  /** The sandbox's wording for an application id Entra ID does not know. */
  appNotInEntra: (appId: string) =>
    serviceError(TASK_ARGUMENT, `No enterprise application with the application id '${appId}' exists in Microsoft Entra ID for this organization.`),
  /** The sandbox's wording: Exchange refuses to remove a scope in use; its exact text is unconfirmed. */
  scopeInUse: (scope: string, assignments: string[]) =>
    serviceError(
      'System.InvalidOperationException',
      `The management scope '${scope}' can't be removed because management role assignments use it: ${assignments.join(', ')}.`,
    ),
  /** The sandbox's wording: -App takes application roles only (cmdlet reference), its text is unconfirmed. */
  notApplicationRole: (role: string) =>
    serviceError(TASK_ARGUMENT, `The role '${role}' isn't an application role. Only roles whose names start with "Application " can be assigned with -App.`),
  /** The sandbox's wording for an OPATH filter it refuses; `problem` says what and where. */
  invalidFilter: (problem: string) => serviceError(TASK_ARGUMENT, `Invalid filter syntax: the filter ${problem}.`),
};
