/**
 * `<runbook-sign-in>`: one sign-in control for both modes. Sandbox: "Sign in" discloses a picker of the demo admins
 * from /api/config, one click signs in. Tenant mode: "Sign in with Microsoft" (MSAL popup). Signed in, it shows a
 * badge with the account and tenant and a "Sign out" button. Every instance on the page follows the same session.
 */
import type { Account, ConfigResponse, SandboxAdmin } from '../../runbook/api.ts';
import { currentAccount, onSessionChange, signIn, signOut } from '../auth/session.ts';
import { loadConfig } from '../config.ts';

let nextId = 0;

class RunbookSignIn extends HTMLElement {
  #config: ConfigResponse | undefined;
  #unsubscribe: (() => void) | undefined;

  /** Shorthand for the element's own parts. */
  #part<T extends HTMLElement>(name: string): T {
    return this.querySelector<T>(`[data-${name}]`)!;
  }

  connectedCallback(): void {
    const picker = this.#part('picker');
    picker.id = `runbook-sign-in-picker-${nextId++}`;
    this.#part('open').setAttribute('aria-controls', picker.id);
    this.#part('open').addEventListener('click', () => this.#onOpen());
    this.#part('sign-out').addEventListener('click', () => void this.#onSignOut());
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !picker.hidden) {
        this.#togglePicker(false);
        this.#part('open').focus();
      }
    });
    this.#unsubscribe = onSessionChange((account) => this.#render(account));
    loadConfig().then(
      (config) => {
        this.#config = config;
        this.#part('open').textContent = config.mode === 'sandbox' ? 'Sign in' : 'Sign in with Microsoft';
        if (config.sandbox) this.#fillPicker(config.sandbox.admins);
        this.hidden = false;
        this.#render(currentAccount());
      },
      () => {
        /* The companion is not running: steps say how to start it; the header stays quiet. */
      },
    );
  }

  disconnectedCallback(): void {
    this.#unsubscribe?.();
  }

  /** Lists the demo admins as buttons; each signs in with one click. */
  #fillPicker(admins: SandboxAdmin[]): void {
    const list = this.#part('admins');
    list.replaceChildren(
      ...admins.map((admin) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'rb-admin';
        const upn = document.createElement('span');
        upn.className = 'rb-admin-upn';
        upn.textContent = admin.upn;
        const note = document.createElement('span');
        note.className = 'rb-admin-note';
        note.textContent = admin.description;
        button.append(upn, note);
        button.addEventListener('click', () => void this.#signIn(admin.upn));
        item.append(button);
        return item;
      }),
    );
  }

  #togglePicker(open: boolean): void {
    this.#part('picker').hidden = !open;
    this.#part('open').setAttribute('aria-expanded', String(open));
  }

  #onOpen(): void {
    if (this.#config?.mode === 'tenant') {
      void this.#signIn();
      return;
    }
    const open = this.#part('picker').hidden === true;
    this.#togglePicker(open);
    if (open) this.querySelector<HTMLButtonElement>('.rb-admin')?.focus();
  }

  /** Signs in, reporting a failure where the reader is looking; focus moves to what replaced the picker. */
  async #signIn(user?: string): Promise<void> {
    this.#showError('');
    this.#busy(true);
    try {
      await signIn(user);
    } catch (e) {
      this.#showError(`Sign-in failed: ${(e as Error).message}`);
      return;
    } finally {
      this.#busy(false);
    }
    this.#togglePicker(false);
    this.dispatchEvent(new CustomEvent('runbook:signed-in', { bubbles: true }));
    // Signed in from Starlight's mobile menu (a popover): close it, the page is what the admin came for.
    const menu = this.closest<HTMLElement>('[popover]');
    if (menu?.matches(':popover-open')) {
      menu.hidePopover();
      document.querySelector<HTMLElement>(`[popovertarget="${menu.id}"]`)?.focus();
    } else if (this.dataset.variant === 'header') this.#part('sign-out').focus();
  }

  async #onSignOut(): Promise<void> {
    this.#showError('');
    try {
      await signOut();
      this.#part('open').focus();
    } catch (e) {
      this.#showError(`Sign-out failed: ${(e as Error).message}`);
    }
  }

  #busy(busy: boolean): void {
    for (const button of this.querySelectorAll('button')) button.disabled = busy;
  }

  #showError(message: string): void {
    const error = this.#part('error');
    error.textContent = message;
    error.hidden = !message;
  }

  /**
   * Shows the badge or the sign-in control; the inline variant disappears once signed in (the header has the badge).
   */
  #render(account: Account | null): void {
    if (!this.#config) return;
    this.#part('signed-out').hidden = !!account;
    this.#part('signed-in').hidden = !account || this.dataset.variant !== 'header';
    if (!account) return;
    const sandbox = this.#config.mode === 'sandbox' ? ' (sandbox)' : '';
    this.#part('upn').textContent = account.upn;
    this.#part('tenant').textContent = `${account.tenantName}${sandbox}`;
  }
}

customElements.define('runbook-sign-in', RunbookSignIn);
