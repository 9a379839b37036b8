/**
 * `<runbook-checklist>`: the guide's steps with their state for the signed-in tenant (as each step reports it),
 * "Download transcript" as Markdown or JSON from the companion, and a note on the signed-in tenant (tenant-note.ts).
 */
import { currentAccount, onSessionChange } from '../auth/session.ts';
import { STEP_STATE_EVENT, type StepState, type StepStateDetail } from '../step-state.ts';

const LABELS: Record<StepState, string> = {
  done: 'Done', needed: 'To do', blocked: 'Blocked', running: 'Running', waiting: 'Waiting', succeeded: 'Done', failed: 'Failed',
};

class RunbookChecklist extends HTMLElement {
  connectedCallback(): void {
    window.addEventListener(STEP_STATE_EVENT, (e) => this.#update((e as CustomEvent<StepStateDetail>).detail));
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-format]')) {
      button.addEventListener('click', () => void this.#download(button.dataset.format as 'md' | 'json'));
    }
    const render = () => {
      const account = currentAccount();
      const signedIn = !!account;
      this.querySelector<HTMLElement>('[data-downloads]')!.hidden = !signedIn;
      this.querySelector<HTMLElement>('[data-tenant-note]')!.hidden = true;
      // What this tenant is like, and Reset for a practice tenant: loaded on sign-in, not with the page.
      if (account) void import('../tenant-note.ts').then((m) => m.showTenantNote(this, account)).catch(() => {});
      if (!signedIn) for (const state of this.querySelectorAll<HTMLElement>('[data-state-for]')) this.#set(state, null);
    };
    onSessionChange(render);
    render();
  }

  #update({ id, state }: StepStateDetail): void {
    const cell = this.querySelector<HTMLElement>(`[data-state-for="${id}"]`);
    if (cell) this.#set(cell, state);
  }

  #set(cell: HTMLElement, state: StepState | null): void {
    cell.textContent = state ? LABELS[state] : 'Sign in to see';
    if (state) cell.dataset.state = state;
    else delete cell.dataset.state;
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
