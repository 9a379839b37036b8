/**
 * `<runbook-step>`, the part loaded with the page: the copy button, and whether the companion is reachable. The
 * controller (zod schema, live preview, probe, runs) is imported only once a reader signs in or touches the form,
 * which keeps the guide's JavaScript before interaction small.
 */
import { currentAccount, onSessionChange } from '../auth/session.ts';
import { companionDown, loadConfig } from '../config.ts';

class RunbookStep extends HTMLElement {
  #controller: Promise<unknown> | undefined;

  connectedCallback(): void {
    const copy = this.querySelector<HTMLButtonElement>('[data-copy]')!;
    copy.hidden = !navigator.clipboard;
    copy.addEventListener('click', () => void this.#copy(copy));
    loadConfig().then(
      () => {
        this.querySelector<HTMLElement>('[data-offline]')!.hidden = true;
        this.querySelector<HTMLElement>('[data-live]')!.hidden = false;
        // The live card shows its own state; a picture of it nearby would pass for it (or contradict it).
        for (const figure of document.querySelectorAll<HTMLElement>(`figure[data-depicts="${this.dataset.step}"]`))
          figure.hidden = true;
        if (currentAccount()) this.#load();
        onSessionChange((account) => {
          if (account) this.#load();
        });
        this.querySelector('[data-form]')?.addEventListener('focusin', () => this.#load(), { once: true });
      },
      () => {
        const offline = this.querySelector<HTMLElement>('[data-offline]')!;
        offline.append(`${companionDown()} Until then, copy the PowerShell above.`);
        offline.hidden = false;
      },
    );
  }

  /** Imports and attaches the controller once. */
  #load(): void {
    if (this.#controller) return;
    this.#controller = import('../step-controller.ts').then((m) => m.attachStepController(this));
  }

  /** Copies the PowerShell exactly as shown (the live preview once the controller has re-rendered it). */
  async #copy(button: HTMLButtonElement): Promise<void> {
    await navigator.clipboard.writeText(this.querySelector('[data-preview] pre')?.textContent ?? '');
    button.textContent = 'Copied';
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 2000);
  }
}

customElements.define('runbook-step', RunbookStep);
