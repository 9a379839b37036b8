/**
 * Parameter schemas of the RBAC for Applications steps: GUIDs, service principal names, management scope names and
 * filters, with messages that name the rule broken.
 */
import { z } from 'zod';
import { filterProblem } from './opath.ts';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A GUID in its usual 8-4-4-4-12 form, e.g. 6f1c2a0e-3d4b-4c5a-9e8f-0a1b2c3d4e5f. */
export const guid = z
  .string()
  .regex(GUID, 'must be a GUID such as 6f1c2a0e-3d4b-4c5a-9e8f-0a1b2c3d4e5f (8-4-4-4-12 hexadecimal digits)');

/** A service principal in Exchange, named by its application id or its object id. */
export const servicePrincipalId = guid.meta({
  description: "The application's service principal in Exchange: its application (client) id or the enterprise application's object id.",
});

/** A name of 1 to `max` characters that is not only spaces. */
function objectName(max: number, what: string) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters (the Exchange limit for ${what})`)
    .refine((name) => name.trim().length > 0, 'must contain a character other than spaces');
}

export const servicePrincipalDisplayName = objectName(256, 'service principal display names');
export const managementScopeName = objectName(64, 'management scope names').meta({ description: 'Management scope name, 1-64 characters.' });
export const roleAssignmentName = objectName(64, 'management role assignment names');

/**
 * An application role: any role whose name starts with "Application " (the tenant decides which exist;
 * `Get-ManagementRole "Application *"` lists them, and 2026 tenants list more than Microsoft's long-standing table).
 */
export const applicationRoleName = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^Application \S/, 'must be an application role, whose name starts with "Application " (Get-ManagementRole "Application *" lists them)');

/** An OPATH recipient filter, checked for balanced quotes and parentheses, known operators and known properties. */
export const recipientFilter = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .superRefine((text, ctx) => {
    const problem = filterProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: "OPATH recipient filter, e.g. CustomAttribute1 -eq 'EWS-Archive'." });
