/**
 * Parameter schemas of the ApplicationImpersonation steps, with the limits Exchange enforces.
 */
import { objectName } from '../../core/params.ts';

/** Role group names: 1-64 characters (New-RoleGroup's limit); any characters, kept verbatim. */
export const roleGroupName = objectName(64, 'role group names').meta({
  description: 'Role group name, 1-64 characters.',
});
