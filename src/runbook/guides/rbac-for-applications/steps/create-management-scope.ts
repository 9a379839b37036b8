/**
 * create-management-scope: a management scope whose OPATH recipient filter selects the mailboxes an application may
 * reach (New-ManagementScope). Optional in the guide: without one, a role applies to every mailbox. The filter is
 * checked before it is sent (quotes, parentheses, operators, property names). Undone by remove-management-scope.
 */
import { z } from 'zod';
import { CUSTOMIZATION_ERRORS, notCustomizedYet } from '../../../exchange/customization.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { managementScopeName, recipientFilter } from '../params.ts';
import { findManagementScope, writeWhileRbacSpreads } from '../queries.ts';
import { echoingSession, explainNext } from '../../../core/session.ts';
import { runbookFailure } from '../../../core/failure.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z
  .object({
    // No defaults: which mailboxes an application may read is the admin's deliberate choice.
    name: managementScopeName,
    filter: recipientFilter,
  })
  .strict();
type Params = z.output<typeof params>;

const knownErrors = [CUSTOMIZATION_ERRORS.dehydrated, CUSTOMIZATION_ERRORS.customizationPropagating, RBAC_ERRORS.scopeExists];

export const createManagementScope: StepDefinition<typeof params> = {
  id: 'create-management-scope',
  title: 'Create a management scope',
  summary: 'Creates a management scope whose recipient filter selects the mailboxes an application may reach.',
  params,
  irreversible: false,
  readOnly: false,
  undo: { step: 'remove-management-scope', params: (p) => ({ name: p.name }) },
  guide: rbacLink('scope'),
  plan: (p: Params) => [{ cmdlet: 'New-ManagementScope', params: { Name: p.name, RecipientRestrictionFilter: p.filter } }],
  async probe(exo, p) {
    const scope = await findManagementScope(exo, p.name);
    if (scope && scope.RecipientFilter === p.filter) return { state: 'done', reason: `The scope "${p.name}" exists with this filter.` };
    if (scope) {
      return {
        state: 'blocked',
        reason: `A scope named "${p.name}" exists with another filter (${String(scope.RecipientFilter)}): choose another name, or use that scope.`,
        guide: rbacLink('scope'),
      };
    }
    return (await notCustomizedYet(exo)) ?? { state: 'needed', reason: `No management scope named "${p.name}" exists yet.` };
  },
  async run(ctx, p) {
    await writeWhileRbacSpreads(ctx, createManagementScope.plan(p)[0]!, knownErrors, 'create the management scope');
    explainNext(ctx, 'Checking that the scope exists with this filter:');
    const scope = await findManagementScope(echoingSession(ctx), p.name);
    if (!scope || scope.RecipientFilter !== p.filter) {
      throw runbookFailure('VerificationFailed', `New-ManagementScope succeeded, but Get-ManagementScope does not show "${p.name}" with the filter ${p.filter}.`);
    }
    ctx.emit('result', `Scope "${p.name}" created with the filter ${p.filter}.`, scope);
    return { name: p.name, filter: p.filter };
  },
  knownErrors,
};
