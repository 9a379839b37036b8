/**
 * The EWS guide (src/content/docs/guides/keep-ews-working.mdx): its page and its live steps in the order the page
 * shows them.
 */
import type { Guide } from '../../core/guide.ts';
import { EWS_PAGE } from './sections.ts';
import { allowEwsApplication } from './steps/allow-ews-application.ts';
import { checkEwsMailboxes } from './steps/check-ews-mailboxes.ts';
import { readEwsPolicy } from './steps/read-ews-policy.ts';
import { removeEwsApplication } from './steps/remove-ews-application.ts';

export const keepEwsWorking = {
  ...EWS_PAGE,
  steps: [readEwsPolicy, allowEwsApplication, checkEwsMailboxes, removeEwsApplication],
} satisfies Guide;
