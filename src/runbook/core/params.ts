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

// Half of a UTF-16 surrogate pair with no other half: not a character. JSON carries it, but pwsh and Exchange store
// U+FFFD in its place, so what Exchange holds would differ from what was sent (and verified, and recorded).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Control characters and line breaks (C0, DEL, C1 with NEL, U+2028, U+2029). Exchange object names are one line
// of visible text in the admin center and in every cmdlet's output; whether Exchange Online itself refuses such a
// character in a name is not documented, so the runbook refuses it first rather than create a name nobody can see.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NAME_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// In free text (a description, a filter) tab, CR and LF keep their meaning; other controls are refused.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** `U+000A at character 3` for the first match of `pattern` in `text` (characters counted as code points). */
function whereIs(text: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const at = [...text.slice(0, match.index)].length + 1;
  return `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${at}`;
}

/** What is wrong with `text` as a value Exchange must receive exactly, or undefined. */
function textProblem(text: string, controls: RegExp): string | undefined {
  const broken = whereIs(text, LONE_SURROGATE);
  if (broken)
    return `must be well-formed Unicode: ${broken} is half of a surrogate pair, which Exchange would store as U+FFFD`;
  const control = whereIs(text, controls);
  if (control)
    return `must not contain control characters${controls === NAME_CONTROLS ? ' or line breaks' : ''} (${control})`;
  return undefined;
}

/** Refines a string schema with `textProblem`. */
function exactText(schema: z.ZodString, controls: RegExp): z.ZodString {
  return schema.superRefine((text, ctx) => {
    const problem = textProblem(text, controls);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * A name of 1 to `max` characters that is not only spaces, well-formed Unicode, on one line and without control
 * characters; `what` names the limit, e.g. "role group names".
 */
export function objectName(max: number, what: string) {
  return exactText(
    z
      .string()
      .min(1, 'must not be empty')
      .max(max, `must be at most ${max} characters (the Exchange limit for ${what})`)
      .refine((name) => name.trim().length > 0, 'must contain a character other than spaces'),
    NAME_CONTROLS,
  );
}

/**
 * Free text of at most `max` characters (a description, a filter): well-formed Unicode, no control character but tab
 * and line breaks.
 */
export function freeText(max: number) {
  return exactText(z.string().max(max, `must be at most ${max} characters`), TEXT_CONTROLS);
}

// The characters Entra ID allows in the part before the @ of a user principal name, and a DNS domain after it.
const UPN =
  /^[A-Za-z0-9'._!#^~+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** A user principal name such as svc-ews@contoso.onmicrosoft.com (at most 113 characters, as in Entra ID). */
export const userPrincipalName = z
  .string()
  .max(113, 'must be at most 113 characters (the limit for user principal names)')
  .regex(UPN, 'must be a user principal name such as svc-ews@contoso.onmicrosoft.com')
  .refine((upn) => upn.split('@')[0]!.length <= 64, 'must have at most 64 characters before the @');
