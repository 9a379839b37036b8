/**
 * Parameter schemas of the RBAC for Applications steps: service principal names, management scope names and filters,
 * with messages that name the rule broken.
 */
import { z } from 'zod';
import { freeText, guid, objectName } from '../../core/params.ts';
import { filterProblem } from '../../exchange/opath.ts';

/**
 * What a field holds across the guide's steps (the JSON Schema key `carry`): a value typed once fills the other
 * steps' fields that hold the same thing (src/client/carry-forward.ts), and a sandbox tenant's practice values are
 * keyed by it (server/sandbox/tenants/).
 */
export const RBAC_VALUES = {
  appId: 'app-id',
  objectId: 'enterprise-object-id',
  displayName: 'app-display-name',
  scope: 'scope-name',
  filter: 'scope-filter',
} as const;

/** The application's Application (client) ID, as the guide and Entra ID name it. */
export const applicationId = guid.meta({ title: 'Application (client) ID', carry: RBAC_VALUES.appId });

/** A service principal in Exchange, named by its application id or its object id. */
export const servicePrincipalId = applicationId.meta({
  description: "The application's Application (client) ID (the enterprise application's Object ID works too).",
});

export const servicePrincipalDisplayName = objectName(256, 'service principal display names').meta({
  carry: RBAC_VALUES.displayName,
});
export const managementScopeName = objectName(64, 'management scope names').meta({
  description: 'Management scope name, 1-64 characters.',
  carry: RBAC_VALUES.scope,
});
export const roleAssignmentName = objectName(64, 'management role assignment names');

/**
 * An application role: any role whose name starts with "Application " (the tenant decides which exist;
 * `Get-ManagementRole "Application *"` lists them, and 2026 tenants list more than Microsoft's long-standing table).
 */
export const applicationRoleName = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(
    /^Application \S/,
    'must be an application role, whose name starts with "Application " (Get-ManagementRole "Application *" lists them)',
  );

/** An OPATH recipient filter, checked for balanced quotes and parentheses, known operators and known properties. */
export const recipientFilter = freeText(2048)
  .superRefine((text, ctx) => {
    const problem = filterProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: "OPATH recipient filter, e.g. CustomAttribute1 -eq 'EWS-Archive'.", carry: RBAC_VALUES.filter });
