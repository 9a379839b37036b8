/**
 * `<runbook-checklist>`: the guide's steps with their state for the signed-in tenant (as each step reports it),
 * "Download transcript" as Markdown or JSON from the companion, and a note on the signed-in tenant (tenant-note.ts).
 */
import { currentAccount, onSessionChange } from '../auth/session.ts';
import { loadConfig } from '../config.ts';
import { STEP_STATE_EVENT, type StepStateDetail, type StepStatus } from '../step-state.ts';

class RunbookChecklist extends HTMLElement {
  connectedCallback(): void {
    window.addEventListener(STEP_STATE_EVENT, (e) => this.#update((e as CustomEvent<StepStateDetail>).detail));
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-format]')) {
      button.addEventListener('click', () => void this.#download(button.dataset.format as 'md' | 'json'));
    }
    // Signed out, nothing is known; signed in, each step reports (a step nobody has heard from yet is being checked).
    const render = () => {
      const account = currentAccount();
      const signedIn = !!account;
      this.querySelector<HTMLElement>('[data-downloads]')!.hidden = !signedIn;
      this.querySelector<HTMLElement>('[data-tenant-note]')!.hidden = true;
      // What this tenant is like, and Reset for a practice tenant: loaded on sign-in, not with the page.
      if (account) void import('../tenant-note.ts').then((m) => m.showTenantNote(this, account)).catch(() => {});
      for (const cell of this.#cells()) {
        if (!signedIn) this.#set(cell, null, 'Sign in to see');
        else if (!cell.dataset.tone) this.#set(cell, null, 'Checking…');
      }
    };
    loadConfig().then(
      () => {
        onSessionChange(render);
        render();
      },
      () => {
        for (const cell of this.#cells()) this.#set(cell, null, 'Start the companion to see');
      },
    );
  }

  #cells(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('[data-state-for]')];
  }

  #update({ id, status }: StepStateDetail): void {
    const cell = this.querySelector<HTMLElement>(`[data-state-for="${id}"]`);
    if (cell && currentAccount()) this.#set(cell, status, 'Checking…');
  }

  #set(cell: HTMLElement, status: StepStatus | null, fallback: string): void {
    cell.textContent = status?.checklist ?? fallback;
    if (status) cell.dataset.tone = status.tone;
    else delete cell.dataset.tone;
  }

  /** Fetches the transcript with the admin's token and saves it as a file. */
  async #download(format: 'md' | 'json'): Promise<void> {
    const error = this.querySelector<HTMLElement>('[data-download-error]')!;
    error.textContent = '';
    try {
      const { download } = await import('../companion.ts');
      const blob = await download(`/api/transcript?format=${format}`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `runbook-transcript-${currentAccount()?.tenantName ?? 'tenant'}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      error.textContent = `Could not download the transcript: ${(e as Error).message}`;
    }
  }
}

customElements.define('runbook-checklist', RunbookChecklist);
