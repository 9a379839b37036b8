/**
 * Parameter schemas several steps share, with the limits Exchange enforces and messages that name the rule.
 */
import { z } from 'zod';

/** Role group names: 1-64 characters (New-RoleGroup's limit); any characters, kept verbatim. */
export const roleGroupName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters (the Exchange limit for role group names)')
  .refine((name) => name.trim().length > 0, 'must contain a character other than spaces')
  .meta({ description: 'Role group name, 1-64 characters.' });

// The characters Entra ID allows in the part before the @ of a user principal name, and a DNS domain after it.
const UPN = /^[A-Za-z0-9'._!#^~+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** A user principal name such as svc-ews@contoso.onmicrosoft.com (at most 113 characters, as in Entra ID). */
export const userPrincipalName = z
  .string()
  .max(113, 'must be at most 113 characters (the limit for user principal names)')
  .regex(UPN, 'must be a user principal name such as svc-ews@contoso.onmicrosoft.com')
  .refine((upn) => upn.split('@')[0]!.length <= 64, 'must have at most 64 characters before the @');
