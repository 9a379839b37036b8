/**
 * check-ews-mailboxes: whether EWS is enabled on each mailbox the application uses (Get-CASMailbox, EwsEnabled), since
 * a mailbox whose own EwsEnabled is False stays out of reach whatever the organization allows. Up to 50 mailboxes by
 * address, one call each, or the first 50 of the organization. Read-only.
 */
import { z } from 'zod';
import type { CmdletCall, ExchangeSession, ExoError } from '../../../core/cmdlets.ts';
import { StepFailure } from '../../../core/failure.ts';
import { userPrincipalName } from '../../../core/params.ts';
import { asList, dataOrThrow, echoingSession, isNotFound } from '../../../core/session.ts';
import type { ProbeResult, StepDefinition } from '../../../core/step.ts';
import { EWS_ERRORS } from '../errors.ts';
import { EWS_VALUES } from '../params.ts';
import { ewsLink } from '../sections.ts';

/** At most this many mailboxes, named or listed: one Get-CASMailbox each would otherwise keep the reader waiting. */
const MAX_MAILBOXES = 50;

const params = z
  .object({
    mailboxes: z
      .array(userPrincipalName)
      .max(MAX_MAILBOXES, `must list at most ${MAX_MAILBOXES} mailboxes`)
      .refine((m) => new Set(m.map((x) => x.toLowerCase())).size === m.length, 'must not list a mailbox twice')
      .default([])
      .meta({
        carry: EWS_VALUES.mailboxes,
        description: `Addresses of the mailboxes the application uses; leave empty for the first ${MAX_MAILBOXES} of the organization.`,
      }),
  })
  .strict();
type Params = z.output<typeof params>;

const knownErrors = [EWS_ERRORS.mailboxNotFound];

/** One mailbox's EWS setting. */
interface MailboxEws {
  Mailbox: string;
  EwsEnabled: boolean | null;
}

/** What the calls found: a row per mailbox, and the not-found errors of the addresses that are no mailbox. */
interface Findings {
  rows: MailboxEws[];
  missing: Array<{ mailbox: string; error: ExoError }>;
}

/** One Get-CASMailbox per mailbox named, or the first MAX_MAILBOXES of the organization. */
function calls(p: Params): CmdletCall[] {
  return p.mailboxes.length
    ? p.mailboxes.map((mailbox) => ({ cmdlet: 'Get-CASMailbox', params: { Identity: mailbox } }))
    : [{ cmdlet: 'Get-CASMailbox', params: { ResultSize: MAX_MAILBOXES } }];
}

/** Runs the plan's calls on `exo`; not-found errors are collected, any other error fails the step. */
async function inspect(exo: ExchangeSession, p: Params): Promise<Findings> {
  const findings: Findings = { rows: [], missing: [] };
  for (const call of calls(p)) {
    const result = await exo.invoke(call);
    if (!result.ok && isNotFound(result.error)) {
      findings.missing.push({ mailbox: String(call.params.Identity), error: result.error });
      continue;
    }
    for (const row of asList(dataOrThrow(result, knownErrors))) {
      const enabled = row.EwsEnabled === true || row.EwsEnabled === false ? row.EwsEnabled : null;
      findings.rows.push({ Mailbox: String(row.PrimarySmtpAddress ?? row.Identity), EwsEnabled: enabled });
    }
  }
  return findings;
}

/** One mailbox as a line: its address, EwsEnabled as PowerShell prints it, and what that means. */
function describeMailbox(row: MailboxEws): string {
  if (row.EwsEnabled === null)
    return `${row.Mailbox}: EwsEnabled empty (not set on the mailbox: the organization's settings decide)`;
  return row.EwsEnabled
    ? `${row.Mailbox}: EwsEnabled True (EWS may reach this mailbox)`
    : `${row.Mailbox}: EwsEnabled False (EWS is off for this mailbox)`;
}

/** "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
}

export const checkEwsMailboxes: StepDefinition<typeof params> = {
  id: 'check-ews-mailboxes',
  title: "Check the application's mailboxes",
  summary:
    'Shows for each mailbox the application uses whether EWS is enabled on it (Get-CASMailbox); changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: ewsLink('mailboxes'),
  plan: calls,
  async probe(exo, p): Promise<ProbeResult> {
    const { rows, missing } = await inspect(exo, p);
    if (missing.length) {
      return {
        state: 'blocked',
        reason: `No mailbox ${listed(missing.map((m) => m.mailbox))} in this organization: check the address.`,
        guide: ewsLink('mailboxes'),
      };
    }
    const off = rows.filter((r) => r.EwsEnabled === false).map((r) => r.Mailbox);
    if (off.length) {
      return {
        state: 'blocked',
        reason: `EWS is off for ${listed(off)}: the application cannot reach ${off.length === 1 ? 'that mailbox' : 'those mailboxes'} over EWS, whatever the organization allows. Turn it on with Set-CASMailbox, or leave it off if it should stay out of reach.`,
        guide: ewsLink('mailboxOn'),
      };
    }
    const which = p.mailboxes.length
      ? `the ${rows.length} mailbox${rows.length === 1 ? '' : 'es'}`
      : `the first ${rows.length} mailboxes of the organization`;
    return { state: 'done', reason: `No mailbox has EWS turned off among ${which}.` };
  },
  async run(ctx, p) {
    const { rows, missing } = await inspect(echoingSession(ctx), p);
    for (const row of rows) ctx.emit('result', describeMailbox(row), row);
    const on = rows.filter((r) => r.EwsEnabled !== false).map((r) => r.Mailbox);
    const off = rows.filter((r) => r.EwsEnabled === false).map((r) => r.Mailbox);
    ctx.emit('result', `EWS on or not set: ${on.join(', ') || 'none'}. EWS off: ${off.join(', ') || 'none'}.`);
    if (missing.length) throw new StepFailure(missing[0]!.error, EWS_ERRORS.mailboxNotFound);
    return { rows, ewsOff: off };
  },
  knownErrors,
};
