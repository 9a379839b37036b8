/**
 * Parameter schemas steps of several guides use, with the limits Exchange and Entra ID enforce and messages that name
 * the rule broken. A guide's own schemas live in its params.ts.
 */
import { z } from 'zod';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A GUID in its usual 8-4-4-4-12 form, e.g. 6f1c2a0e-3d4b-4c5a-9e8f-0a1b2c3d4e5f. */
export const guid = z
  .string()
  .regex(GUID, 'must be a GUID such as 6f1c2a0e-3d4b-4c5a-9e8f-0a1b2c3d4e5f (8-4-4-4-12 hexadecimal digits)');

/** A name of 1 to `max` characters that is not only spaces; `what` names the limit, e.g. "role group names". */
export function objectName(max: number, what: string) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters (the Exchange limit for ${what})`)
    .refine((name) => name.trim().length > 0, 'must contain a character other than spaces');
}

// The characters Entra ID allows in the part before the @ of a user principal name, and a DNS domain after it.
const UPN = /^[A-Za-z0-9'._!#^~+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** A user principal name such as svc-ews@contoso.onmicrosoft.com (at most 113 characters, as in Entra ID). */
export const userPrincipalName = z
  .string()
  .max(113, 'must be at most 113 characters (the limit for user principal names)')
  .regex(UPN, 'must be a user principal name such as svc-ews@contoso.onmicrosoft.com')
  .refine((upn) => upn.split('@')[0]!.length <= 64, 'must have at most 64 characters before the @');
