/**
 * The checklist's note on the signed-in tenant, loaded once someone signs in: what this tenant is like (a sandbox
 * tenant set up as in 2023 or 2026, or a real one), and for a sandbox tenant a Reset control that puts it back to
 * its starting state after a confirmation (POST /api/sandbox/reset, the admin's own tenant only).
 */
import type { Account, ConfigResponse } from '../runbook/api.ts';
import { api } from './companion.ts';
import { loadConfig } from './config.ts';
import { announceTenantReset } from './step-state.ts';

const wired = new WeakSet<HTMLElement>();

/** Fills the note in `root` (a `<runbook-checklist>`) for `account`. */
export async function showTenantNote(root: HTMLElement, account: Account): Promise<void> {
  const config = await loadConfig();
  const note = root.querySelector<HTMLElement>('[data-tenant-note]')!;
  const admin = config.sandbox?.admins.find((a) => a.tid === account.tid);
  const what = root.querySelector<HTMLElement>('[data-tenant-what]')!;
  const strong = document.createElement('strong');
  strong.textContent = account.tenantName;
  if (config.mode === 'sandbox' && admin) {
    what.replaceChildren(
      'You are practising on ',
      strong,
      `, a sandbox tenant. It starts ${admin.description.replace(/^As in/, 'as in')}.`,
    );
  } else {
    what.replaceChildren(
      'You are signed in to ',
      strong,
      ` (tenant ${account.tid}): the steps run against this real tenant.`,
    );
  }
  const actions = root.querySelector<HTMLElement>('[data-reset-actions]')!;
  actions.hidden = config.mode !== 'sandbox' || !admin;
  root.querySelector<HTMLElement>('[data-reset-status]')!.textContent = '';
  if (!actions.hidden) wireReset(root, account, config);
  note.hidden = false;
}

/** Names the Reset control and its dialog after the tenant, and (once per element) wires them. */
function wireReset(root: HTMLElement, account: Account, config: ConfigResponse): void {
  const name = account.tenantName;
  const open = root.querySelector<HTMLButtonElement>('[data-reset-open]')!;
  open.textContent = `Reset ${name}`;
  root.querySelector('[data-reset-title]')!.textContent = `Reset the sandbox tenant ${name}?`;
  const description = config.sandbox?.admins.find((a) => a.tid === account.tid)?.description ?? '';
  root.querySelector('[data-reset-text]')!.textContent =
    `${name} goes back to how it started (${description.replace(/^As in/, 'as in')}): ` +
    'everything your runs changed in it is undone. Your run history and transcript stay.';
  root.querySelector('[data-reset-confirm-button]')!.textContent = `Reset ${name}`;
  if (wired.has(root)) return;
  wired.add(root);
  const dialog = root.querySelector<HTMLDialogElement>('[data-reset-confirm]')!;
  const status = root.querySelector<HTMLElement>('[data-reset-status]')!;
  open.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => void resetOnConfirm(dialog, open, status));
}

/** After the dialog closes: resets the tenant if the admin confirmed, says how it went, and gives focus back. */
async function resetOnConfirm(dialog: HTMLDialogElement, open: HTMLButtonElement, status: HTMLElement): Promise<void> {
  if (dialog.returnValue !== 'confirm') return open.focus();
  const tenant = (open.textContent ?? '').replace(/^Reset /, '');
  open.disabled = true;
  status.textContent = `Resetting ${tenant}…`;
  try {
    await api('/api/sandbox/reset', {});
    status.textContent = `${tenant} is back to its starting state; the steps below check it again.`;
    announceTenantReset();
  } catch (e) {
    status.textContent = `Could not reset ${tenant}: ${(e as Error).message}`;
  } finally {
    open.disabled = false;
    open.focus();
  }
}
