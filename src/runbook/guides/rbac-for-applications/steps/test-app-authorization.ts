/**
 * test-app-authorization: what RBAC for Applications lets an application do, per mailbox
 * (Test-ServicePrincipalAuthorization): RoleName, GrantedPermissions, AllowedResourceScope, ScopeType and InScope.
 * With a resource, that one mailbox; without, every mailbox in turn (each call shown), so the reader sees the app
 * reaches exactly the scoped ones. Read-only.
 */
import { z } from 'zod';
import { userPrincipalName } from '../../../core/params.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { servicePrincipalId } from '../params.ts';
import { appRoleAssignments, findServicePrincipal } from '../queries.ts';
import { asList, explainNext, runCall } from '../../../core/session.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { ResultTable, StepContext, StepDefinition } from '../../../core/step.ts';
import { formatTable } from '../../../core/table.ts';

const params = z
  .object({
    app: servicePrincipalId,
    resource: userPrincipalName.optional().meta({ description: 'One mailbox to test (its address); leave empty to test every mailbox.' }),
  })
  .strict();
type Params = z.output<typeof params>;

/** At most this many mailboxes are tested one by one; beyond it, name a resource. */
const MAX_MAILBOXES = 50;
const knownErrors = [RBAC_ERRORS.objectNotFound];

export interface AuthorizationRow {
  Mailbox: string;
  RoleName: string;
  GrantedPermissions: string;
  AllowedResourceScope: string;
  ScopeType: string;
  InScope: boolean;
}

/** Test-ServicePrincipalAuthorization for one mailbox. */
function testCall(app: string, resource: string): CmdletCall {
  return { cmdlet: 'Test-ServicePrincipalAuthorization', params: { Identity: app, Resource: resource } };
}

/** The rows for one mailbox. */
async function rowsFor(ctx: StepContext, app: string, mailbox: string): Promise<AuthorizationRow[]> {
  return asList(await runCall(ctx, knownErrors, testCall(app, mailbox))).map((r) => ({
    Mailbox: mailbox,
    RoleName: String(r.RoleName),
    GrantedPermissions: String(r.GrantedPermissions),
    AllowedResourceScope: String(r.AllowedResourceScope),
    ScopeType: String(r.ScopeType),
    InScope: r.InScope === true || r.InScope === 'True',
  }));
}

/**
 * The answer as a table of Mailbox and InScope; RoleName and AllowedResourceScope become columns too when the rows
 * differ in them, otherwise the caption names them once.
 */
export function authorizationTable(rows: AuthorizationRow[]): ResultTable {
  const grants = new Set(rows.map((r) => `${r.RoleName}|${r.AllowedResourceScope}`));
  if (grants.size > 1) {
    return { columns: ['Mailbox', 'InScope', 'RoleName', 'AllowedResourceScope'], rows: rows.map((r) => [r.Mailbox, r.InScope, r.RoleName, r.AllowedResourceScope]) };
  }
  const r = rows[0]!;
  return {
    caption: `RoleName ${r.RoleName} (GrantedPermissions ${r.GrantedPermissions}), AllowedResourceScope ${r.AllowedResourceScope} (ScopeType ${r.ScopeType})`,
    columns: ['Mailbox', 'InScope'],
    rows: rows.map((row) => [row.Mailbox, row.InScope]),
  };
}

export const testAppAuthorization: StepDefinition<typeof params> = {
  id: 'test-app-authorization',
  title: 'Verify which mailboxes the application can reach',
  summary: 'Tests what RBAC for Applications grants the application, mailbox by mailbox; changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: rbacLink('verify'),
  plan: (p: Params) => [
    p.resource === undefined ? { cmdlet: 'Test-ServicePrincipalAuthorization', params: { Identity: p.app } } : testCall(p.app, p.resource),
  ],
  async probe(exo, p) {
    if (!(await findServicePrincipal(exo, p.app))) {
      return { state: 'blocked', reason: `Exchange has no service principal for ${p.app}: register the application first with “Register the application in Exchange”.`, guide: rbacLink('registerApp') };
    }
    const held = await appRoleAssignments(exo, p.app);
    if (!held.length) return { state: 'needed', reason: 'The application has no application role in Exchange yet: assign one with “Assign an application role”.' };
    /* eslint-disable @typescript-eslint/no-base-to-string -- Exchange lists the scope by its name */
    const list = held.map((a) => `${String(a.Role)} (${a.CustomResourceScope ? `scope ${String(a.CustomResourceScope)}` : 'all mailboxes'})`);
    /* eslint-enable @typescript-eslint/no-base-to-string */
    return { state: 'done', reason: `The application holds ${list.join(', ')}.` };
  },
  async run(ctx, p) {
    if (p.resource === undefined) explainNext(ctx, `Listing the mailboxes (at most ${MAX_MAILBOXES}), to test the application against each one:`);
    const mailboxes =
      p.resource !== undefined ? [p.resource]
      : asList(await runCall(ctx, [], { cmdlet: 'Get-Mailbox', params: { ResultSize: MAX_MAILBOXES } })).map((m) => String(m.PrimarySmtpAddress));
    const rows: AuthorizationRow[] = [];
    for (const mailbox of mailboxes) rows.push(...(await rowsFor(ctx, p.app, mailbox)));
    const inScope = [...new Set(rows.filter((r) => r.InScope).map((r) => r.Mailbox))];
    const outOfScope = mailboxes.filter((m) => !inScope.includes(m));
    if (!rows.length) ctx.emit('result', 'The application has no application role in Exchange, so it can reach no mailbox through RBAC for Applications.');
    else {
      const table = authorizationTable(rows);
      ctx.emit('result', formatTable(table), { table });
    }
    ctx.emit('result', `In scope: ${inScope.join(', ') || 'none'}. Out of scope: ${outOfScope.join(', ') || 'none'}.`);
    return { app: p.app, rows, inScope, outOfScope };
  },
  knownErrors,
};
