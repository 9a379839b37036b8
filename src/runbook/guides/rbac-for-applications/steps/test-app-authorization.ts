/**
 * test-app-authorization: what RBAC for Applications lets an application do, per mailbox
 * (Test-ServicePrincipalAuthorization): RoleName, GrantedPermissions, AllowedResourceScope, ScopeType and InScope.
 * With a resource, that one mailbox; without, every mailbox in turn (`foreach` in the preview, each call shown),
 * because the cmdlet without -Resource answers InScope "Not Run". Read-only.
 */
import { z } from 'zod';
import type { PlannedCall } from '../../../core/cmdlets.ts';
import { userPrincipalName } from '../../../core/params.ts';
import { asList, expandCall, explainNext, resolveCall, runCall } from '../../../core/session.ts';
import type { ResultTable, StepDefinition } from '../../../core/step.ts';
import { formatTable } from '../../../core/table.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { servicePrincipalId } from '../params.ts';
import { describeHeld, findServicePrincipal, heldApplicationRoles } from '../queries.ts';
import { rbacLink } from '../sections.ts';

const params = z
  .object({
    app: servicePrincipalId,
    resource: userPrincipalName
      .optional()
      .meta({ description: 'One mailbox to test (its address); leave empty to test every mailbox.' }),
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
  /**
   * True or False for a tested mailbox; "Not Run" when the cmdlet ran without -Resource (cmdlet reference, Example 2).
   */
  InScope: boolean | 'Not Run';
}

/** InScope as the cmdlet writes it: a Boolean, or its text ("True", "False", "Not Run"). */
function inScope(value: unknown): AuthorizationRow['InScope'] {
  if (value === true || value === 'True') return true;
  if (value === false || value === 'False') return false;
  return 'Not Run';
}

/** One row of Test-ServicePrincipalAuthorization's output, for `mailbox`. */
export function authorizationRow(record: Record<string, unknown>, mailbox: string): AuthorizationRow {
  return {
    Mailbox: mailbox,
    RoleName: String(record.RoleName),
    GrantedPermissions: String(record.GrantedPermissions),
    AllowedResourceScope: String(record.AllowedResourceScope),
    ScopeType: String(record.ScopeType),
    InScope: inScope(record.InScope),
  };
}

/**
 * The answer as a table of Mailbox and InScope; RoleName and AllowedResourceScope become columns too when the rows
 * differ in them, otherwise the caption names them once.
 */
export function authorizationTable(rows: AuthorizationRow[]): ResultTable {
  const grants = new Set(rows.map((r) => `${r.RoleName}|${r.AllowedResourceScope}`));
  if (grants.size > 1) {
    return {
      columns: ['Mailbox', 'InScope', 'RoleName', 'AllowedResourceScope'],
      rows: rows.map((r) => [r.Mailbox, r.InScope, r.RoleName, r.AllowedResourceScope]),
    };
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
  plan(p: Params): PlannedCall[] {
    if (p.resource !== undefined)
      return [{ cmdlet: 'Test-ServicePrincipalAuthorization', params: { Identity: p.app, Resource: p.resource } }];
    return [
      { cmdlet: 'Get-Mailbox', params: { ResultSize: MAX_MAILBOXES }, saveAs: 'mailboxes' },
      {
        cmdlet: 'Test-ServicePrincipalAuthorization',
        params: { Identity: p.app, Resource: { output: 'mailbox', property: 'PrimarySmtpAddress' } },
        forEach: { output: 'mailboxes', as: 'mailbox' },
      },
    ];
  },
  async probe(exo, p) {
    const sp = await findServicePrincipal(exo, p.app);
    if (!sp) {
      return {
        state: 'blocked',
        reason: `Exchange has no service principal for ${p.app}: register the application first with “Register the application in Exchange”.`,
        guide: rbacLink('registerApp'),
      };
    }
    const held = await heldApplicationRoles(exo, sp);
    if (!held.length)
      return {
        state: 'needed',
        reason:
          'The application has no application role in Exchange yet: assign one with “Assign an application role”.',
      };
    return { state: 'done', reason: `The application holds ${held.map(describeHeld).join(', ')}.` };
  },
  async run(ctx, p) {
    const plan = testAppAuthorization.plan(p);
    const outputs: Record<string, unknown> = {};
    const tests = plan.length === 1 ? [resolveCall(plan[0]!)] : [];
    if (plan.length === 2) {
      explainNext(ctx, `Listing the mailboxes (at most ${MAX_MAILBOXES}), to test the application against each one:`);
      outputs.mailboxes = await runCall(ctx, [], resolveCall(plan[0]!));
      tests.push(...expandCall(plan[1]!, outputs));
    }
    const rows: AuthorizationRow[] = [];
    for (const call of tests) {
      const mailbox = String(call.params.Resource);
      rows.push(...asList(await runCall(ctx, knownErrors, call)).map((r) => authorizationRow(r, mailbox)));
    }
    const mailboxes = tests.map((call) => String(call.params.Resource));
    const inScope = [...new Set(rows.filter((r) => r.InScope === true).map((r) => r.Mailbox))];
    const outOfScope = mailboxes.filter((m) => !inScope.includes(m));
    if (!rows.length)
      ctx.emit(
        'result',
        'The application has no application role in Exchange, so it can reach no mailbox through RBAC for Applications.',
      );
    else {
      const table = authorizationTable(rows);
      ctx.emit('result', formatTable(table), { table });
    }
    ctx.emit('result', `In scope: ${inScope.join(', ') || 'none'}. Out of scope: ${outOfScope.join(', ') || 'none'}.`);
    return { app: p.app, rows, inScope, outOfScope };
  },
  knownErrors,
};
