/**
 * create-management-scope: a management scope whose OPATH recipient filter selects the mailboxes an application may
 * reach (New-ManagementScope). Optional in the guide: without one, a role applies to every mailbox. The filter is
 * checked before it is sent (quotes, parentheses, operators, property names), and the probe lists the mailboxes it
 * selects today (read-only Get-Mailbox -Filter, bounded by -ResultSize) before the scope exists. Undone by
 * remove-management-scope.
 */
import { z } from 'zod';
import { CUSTOMIZATION_ERRORS } from '../../../exchange/customization.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { managementScopeName, recipientFilter } from '../params.ts';
import { customizationNote, findManagementScope, writeWhileRbacSpreads } from '../queries.ts';
import type { ExchangeSession } from '../../../core/cmdlets.ts';
import { asList, echoingSession, explainNext, resolveCall } from '../../../core/session.ts';
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

/**
 * The probe names at most this many of the mailboxes a filter selects; it asks for one more to know if others match.
 */
const FILTER_PREVIEW_MAILBOXES = 10;

/** Which mailboxes `filter` selects today, in one sentence for the verdict (read-only: Get-Mailbox -Filter). */
async function filterMatches(exo: ExchangeSession, filter: string): Promise<string> {
  const result = await exo.invoke({
    cmdlet: 'Get-Mailbox',
    params: { Filter: filter, ResultSize: FILTER_PREVIEW_MAILBOXES + 1 },
  });
  if (!result.ok) return `Exchange could not list the mailboxes this filter selects: ${result.error.message}`;
  const addresses = asList(result.data).map((m) => String(m.PrimarySmtpAddress ?? m.Name));
  if (addresses.length === 0) return 'The filter selects no mailbox today: check the property and the value.';
  if (addresses.length > FILTER_PREVIEW_MAILBOXES) {
    return `The filter selects more than ${FILTER_PREVIEW_MAILBOXES} mailboxes today, among them ${addresses.slice(0, FILTER_PREVIEW_MAILBOXES).join(', ')}.`;
  }
  return `The filter selects ${addresses.length === 1 ? '1 mailbox' : `${addresses.length} mailboxes`} today: ${addresses.join(', ')}.`;
}

const knownErrors = [
  CUSTOMIZATION_ERRORS.dehydrated,
  CUSTOMIZATION_ERRORS.customizationPropagating,
  RBAC_ERRORS.scopeExists,
];

export const createManagementScope: StepDefinition<typeof params> = {
  id: 'create-management-scope',
  title: 'Create a management scope',
  summary: 'Creates a management scope whose recipient filter selects the mailboxes an application may reach.',
  params,
  irreversible: false,
  readOnly: false,
  undo: { step: 'remove-management-scope', params: (p) => ({ name: p.name }) },
  guide: rbacLink('scope'),
  plan: (p: Params) => [
    { cmdlet: 'New-ManagementScope', params: { Name: p.name, RecipientRestrictionFilter: p.filter } },
  ],
  async probe(exo, p) {
    const scope = await findManagementScope(exo, p.name);
    if (scope && scope.RecipientFilter === p.filter) {
      return {
        state: 'done',
        reason: `The scope "${p.name}" exists with this filter. ${await filterMatches(exo, p.filter)}`,
      };
    }
    if (scope) {
      return {
        state: 'blocked',
        reason: `A scope named "${p.name}" exists with another filter (${String(scope.RecipientFilter)}): choose another name, or use that scope.`,
        guide: rbacLink('scope'),
      };
    }
    const matches = await filterMatches(exo, p.filter);
    return {
      state: 'needed',
      reason: `No management scope named "${p.name}" exists yet. ${matches}${await customizationNote(exo)}`,
    };
  },
  async run(ctx, p) {
    await writeWhileRbacSpreads(
      ctx,
      resolveCall(createManagementScope.plan(p)[0]!),
      knownErrors,
      'create the management scope',
    );
    explainNext(ctx, 'Checking that the scope exists with this filter:');
    const scope = await findManagementScope(echoingSession(ctx), p.name);
    if (!scope || scope.RecipientFilter !== p.filter) {
      throw runbookFailure(
        'VerificationFailed',
        `New-ManagementScope succeeded, but Get-ManagementScope does not show "${p.name}" with the filter ${p.filter}.`,
      );
    }
    ctx.emit('result', `Scope "${p.name}" created with the filter ${p.filter}.`, scope);
    return { name: p.name, filter: p.filter };
  },
  knownErrors,
};
