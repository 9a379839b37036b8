/**
 * The EWS guide's countdown: how many days are left until Exchange Online retires EWS (1 April 2027, MC1227454),
 * computed in the reader's browser when the page is read. The text a reader without JavaScript sees is built when the
 * site is built and says how many days were left when the page was last updated, which stays true.
 */

/** The retirement day, as a calendar date (Microsoft gives no hour or time zone). */
const RETIREMENT = { year: 2027, month: 4, day: 1 };
const DAY_MS = 24 * 3600 * 1000;

/** Whole days from the calendar date of `today` (in its own time zone) to 1 April 2027; negative once it has passed. */
export function daysUntilRetirement(today: Date): number {
  const from = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((Date.UTC(RETIREMENT.year, RETIREMENT.month - 1, RETIREMENT.day) - from) / DAY_MS);
}

/** "3 December 2026". */
function formatDate(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

/** The paragraph without JavaScript, for a page last updated on `updated` (YYYY-MM-DD): true on any later day. */
export function fallbackText(updated: string): string {
  const [year, month, day] = updated.split('-').map(Number) as [number, number, number];
  const date = new Date(year, month - 1, day);
  const days = daysUntilRetirement(date);
  return `Exchange Online retires EWS on 1 April 2027, with no exceptions (MC1227454). On ${formatDate(date)}, when this page was last updated, that was ${days} days away.`;
}

/** The paragraph for a reader on `today`: the days left, or that EWS is gone and the allow list no longer helps. */
export function countdownText(today: Date): string {
  const days = daysUntilRetirement(today);
  const on = `Today, ${formatDate(today)},`;
  if (days > 1)
    return `Exchange Online retires EWS on 1 April 2027, with no exceptions (MC1227454). ${on} that is ${days} days away.`;
  if (days === 1) return `Exchange Online retires EWS tomorrow, 1 April 2027, with no exceptions (MC1227454).`;
  if (days === 0) {
    return 'Exchange Online retires EWS today, 1 April 2027, with no exceptions (MC1227454): the allow list keeps no application working any more.';
  }
  const ago = `${-days} day${days === -1 ? '' : 's'} ago`;
  return `Exchange Online retired EWS on 1 April 2027, ${ago} (MC1227454): the allow list keeps no application working any more. Move the application to Microsoft Graph.`;
}

/** Replaces the text of the page's `[data-ews-countdown]` paragraph with the countdown for today. */
export function showCountdown(root: ParentNode, today = new Date()): void {
  const paragraph = root.querySelector('[data-ews-countdown]');
  if (paragraph) paragraph.textContent = countdownText(today);
}
