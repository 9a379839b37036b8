/**
 * Every error the simulated service returns, in one place: worded exactly as exchange-facts.md quotes them, and where
 * the facts do not quote a text, marked as the sandbox's own wording. Exchange's own errors come from the V3 module
 * with category NotSpecified and the exception's short name as reason; parameter binding errors are PowerShell's own
 * (texts checked against pwsh 7.6). A new guide adds its messages here.
 */
import type { ExoError } from '../../src/runbook/core/cmdlets.ts';

/** An Exchange service error of exception type `type` (full name). */
function serviceError(type: string, message: string): ExoError {
  return { message, type, category: 'NotSpecified', reason: type.slice(type.lastIndexOf('.') + 1) };
}

/** A PowerShell parameter binding error, as pwsh raises it before the cmdlet runs. */
function bindingError(type: string, fqid: string, cmdlet: string, category: string, message: string): ExoError {
  return { message, type, fqid: `${fqid},${cmdlet}`, category, reason: type.slice(type.lastIndexOf('.') + 1) };
}

const NOT_FOUND = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException';
const BINDING = 'System.Management.Automation.ParameterBindingException';
const VALIDATION = 'System.Management.Automation.ParameterBindingValidationException';
const TASK_ARGUMENT = 'Microsoft.Exchange.Configuration.Tasks.TaskArgumentException';

export const exoErrors = {
  /** Writes before customization has taken effect. The exception's namespace is our choice; the text is exact. */
  dehydrated: () =>
    serviceError(
      'Microsoft.Exchange.Configuration.Tasks.InvalidOperationInDehydratedContextException',
      "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
    ),
  alreadyEnabled: () =>
    serviceError(
      'System.InvalidOperationException',
      'This operation is not required. Organization is already enabled for customization.',
    ),
  /**
   * The sandbox's stand-in for the error a first Enable-OrganizationCustomization can report although it takes effect
   * (MicrosoftDocs/microsoft-365-docs#7403, "took some time to run and then threw an error"): the report does not
   * quote the text, so this wording is the sandbox's own.
   */
  enableErroredButTookEffect: () =>
    serviceError(
      'System.TimeoutException',
      'The sandbox simulates a first Enable-OrganizationCustomization that reports an error and still takes effect; the real text is not known.',
    ),
  /** The generic Exchange form for an identity that resolves to nothing. */
  objectNotFound: (identity: string, server: string) =>
    serviceError(
      NOT_FOUND,
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${server}'.`,
    ),
  /** A member, manager or other recipient parameter that resolves to nothing. */
  recipientNotFound: (identity: string) =>
    serviceError(
      NOT_FOUND,
      `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`,
    ),
  /**
   * A duplicate, as the one Exchange Online capture of one reads (exchange-facts.md section 4): the domain controller's
   * "Active Directory operation failed on <DC>." before the generic text. The exact wording for role groups, service
   * principals, scopes and assignments is unconfirmed.
   */
  alreadyExists: (domainController: string, dn: string) =>
    serviceError(
      'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException',
      `Active Directory operation failed on ${domainController}. The object '${dn}' already exists.`,
    ),
  parameterNotFound: (cmdlet: string, name: string) =>
    bindingError(
      BINDING,
      'NamedParameterNotFound',
      cmdlet,
      'InvalidArgument',
      `A parameter cannot be found that matches parameter name '${name}'.`,
    ),
  parameterAmbiguous: (cmdlet: string, name: string, matches: string[]) =>
    bindingError(
      BINDING,
      'AmbiguousParameter',
      cmdlet,
      'InvalidArgument',
      `Parameter cannot be processed because the parameter name '${name}' is ambiguous. Possible matches include: ${matches.map((m) => `-${m}`).join(' ')}.`,
    ),
  missingMandatory: (cmdlet: string, names: string[]) =>
    bindingError(
      BINDING,
      'MissingMandatoryParameter',
      cmdlet,
      'InvalidArgument',
      `Cannot process command because of one or more missing mandatory parameters: ${names.join(' ')}.`,
    ),
  tooLong: (cmdlet: string, name: string, length: number, max: number) =>
    bindingError(
      VALIDATION,
      'ParameterArgumentValidationError',
      cmdlet,
      'InvalidData',
      `Cannot validate argument on parameter '${name}'. The character length of the ${length} argument is too long. Shorten the character length of the argument so it is fewer than or equal to "${max}" characters, and then try the command again.`,
    ),
  alreadyBound: (cmdlet: string, name: string) =>
    bindingError(
      BINDING,
      'ParameterAlreadyBound',
      cmdlet,
      'InvalidArgument',
      `Cannot bind parameter because parameter '${name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`,
    ),
  emptyString: (cmdlet: string, name: string) =>
    bindingError(
      VALIDATION,
      'ParameterArgumentValidationErrorEmptyStringNotAllowed',
      cmdlet,
      'InvalidData',
      `Cannot bind argument to parameter '${name}' because it is an empty string.`,
    ),
  /** A value PowerShell cannot convert to the parameter's type; `detail` is the conversion's own sentence. */
  cannotConvert: (cmdlet: string, name: string, detail: string) =>
    bindingError(
      'System.Management.Automation.ParameterBindingArgumentTransformationException',
      'ParameterArgumentTransformationError',
      cmdlet,
      'InvalidData',
      `Cannot process argument transformation on parameter '${name}'. ${detail}`,
    ),
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
    serviceError(
      TASK_ARGUMENT,
      `No enterprise application with the application id '${appId}' exists in Microsoft Entra ID for this organization.`,
    ),
  /** The sandbox's wording: Exchange refuses to remove a scope in use; its exact text is unconfirmed. */
  scopeInUse: (scope: string, assignments: string[]) =>
    serviceError(
      'System.InvalidOperationException',
      `The management scope '${scope}' can't be removed because management role assignments use it: ${assignments.join(', ')}.`,
    ),
  /** The sandbox's wording: -App takes application roles only (cmdlet reference), its text is unconfirmed. */
  notApplicationRole: (role: string) =>
    serviceError(
      TASK_ARGUMENT,
      `The role '${role}' isn't an application role. Only roles whose names start with "Application " can be assigned with -App.`,
    ),
  /** The sandbox's wording for an OPATH filter it refuses; `problem` says what and where. */
  invalidFilter: (problem: string) => serviceError(TASK_ARGUMENT, `Invalid filter syntax: the filter ${problem}.`),
  commandNotFound: (name: string) => ({
    message: `The term '${name}' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    type: 'System.Management.Automation.CommandNotFoundException',
    fqid: 'CommandNotFoundException',
    category: 'ObjectNotFound',
    reason: 'CommandNotFoundException',
  }),
};

/** Thrown inside a cmdlet handler to end the call with `error`; the simulator turns it into `{ ok: false }`. */
export class CmdletError extends Error {
  readonly error: ExoError;
  constructor(error: ExoError) {
    super(error.message);
    this.error = error;
  }
}
