/**
 * Parameter schemas the EWS steps share: the application, the allow list as the reader read it, and the confirmation
 * that a change to the organization's EWS policy needs.
 */
import { z } from 'zod';
import { guid } from '../../core/params.ts';

/** At most this many ids in EwsAllowedAppIDs: the runbook's bound (Exchange documents no limit). */
const MAX_ALLOWED_IDS = 200;

/** The application (client) id of the application whose EWS access is read, added or removed. */
export const applicationId = guid.meta({
  description:
    'Application (client) ID of the application that uses EWS, from Entra admin center > Enterprise applications.',
});

/**
 * EwsAllowedAppIDs as it reads now, copied from the first step: the write replaces the whole list, so the steps write
 * exactly these ids plus (or minus) the application, after checking that the organization's list still holds them.
 */
export const currentAllowList = z
  .array(guid)
  .max(MAX_ALLOWED_IDS, `must list at most ${MAX_ALLOWED_IDS} ids (the runbook's limit)`)
  .default([])
  .meta({
    title: 'The allow list as it reads now',
    description:
      'EwsAllowedAppIDs exactly as the first step printed it (empty if it is empty). Every id here is kept: the list is written as a whole.',
  });

/**
 * The reader's confirmation of a change to the whole organization's EWS policy. Not a schema rule: the probe must be
 * able to say what would change before the box is ticked; the steps refuse to run without it.
 */
export const confirmation = z.boolean().default(false).meta({
  title: 'Confirm the tenant-wide change',
  description:
    "Tick to confirm: this writes the organization's EWS settings, which every EWS application in the organization depends on. The verdict below says what changes.",
});
