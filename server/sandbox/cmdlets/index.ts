/**
 * Every simulated cmdlet by name. Issue 6's cmdlets (service principals, scopes, assignments) join this list.
 */
import type { CmdletHandler } from './context.ts';
import { mailboxCmdlets } from './mailboxes.ts';
import { organizationCmdlets } from './organization.ts';
import { roleGroupCmdlets } from './role-groups.ts';
import { roleCmdlets } from './roles.ts';

export const CMDLET_HANDLERS: ReadonlyMap<string, CmdletHandler> = new Map(
  [...organizationCmdlets, ...roleCmdlets, ...roleGroupCmdlets, ...mailboxCmdlets].map((h) => [h.name.toLowerCase(), h]),
);
