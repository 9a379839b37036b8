/**
 * Parameter schemas the EWS steps share: the application, the allow list as the reader read it, and the confirmation
 * that a change to the organization's EWS policy needs.
 */
import { z } from 'zod';
import { guid } from '../../core/params.ts';

/**
 * What a field holds across the guide's steps (the JSON Schema key `carry`, src/client/carry-forward.ts): typed once,
 * it fills the other steps' fields, and a sandbox tenant's practice values are keyed by it (server/sandbox/tenants/).
 * `app-id` is the key the RBAC for Applications guide uses for the same Application (client) ID.
 */
export const EWS_VALUES = { appId: 'app-id', allowList: 'ews-allow-list', mailboxes: 'ews-mailboxes' } as const;

/** At most this many ids in EwsAllowedAppIDs: the runbook's bound (Exchange documents no limit). */
const MAX_ALLOWED_IDS = 200;

/** The application (client) id of the application whose EWS access is read, added or removed. */
export const applicationId = guid.meta({
  title: 'Application (client) ID',
  carry: EWS_VALUES.appId,
  description:
    'Application (client) ID of the application that uses EWS, from Entra admin center > Enterprise applications.',
});

/**
 * EwsAllowedAppIDs as it reads now, copied from the first step: the write replaces the whole list, so the steps write
 * exactly these ids plus (or minus) the application, after checking that the organization's list still holds them.
 */
const allowListAsItReads = z
  .array(guid)
  .max(MAX_ALLOWED_IDS, `must list at most ${MAX_ALLOWED_IDS} ids (the runbook's limit)`)
  .default([]);
const AS_IT_READS = {
  title: 'The allow list as it reads now',
  description:
    'EwsAllowedAppIDs exactly as the first step printed it (empty if it is empty). Every id here is kept: the list is written as a whole.',
};

/** The list before the application is added: the sandbox's practice value fills it. */
export const currentAllowList = allowListAsItReads.meta({ ...AS_IT_READS, carry: EWS_VALUES.allowList });

/**
 * The list before the application is removed. Not carried from the allow step's field, which holds the list before
 * the application was added; after the allow step, its undo fills this form with the list as the allow left it.
 */
export const allowListWithApp = allowListAsItReads.meta(AS_IT_READS);

/**
 * The reader's confirmation of a change to the whole organization's EWS policy. Not a schema rule: the probe must be
 * able to say what would change before the box is ticked; the steps refuse to run without it.
 */
export const confirmation = z.boolean().default(false).meta({
  title: 'Confirm the tenant-wide change',
  description:
    "Tick to confirm: this writes the organization's EWS settings, which every EWS application in the organization depends on. The verdict below says what changes.",
});
