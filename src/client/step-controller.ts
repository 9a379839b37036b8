/**
 * The live part of `<runbook-step>`: validates the form with the step's own zod schema as the reader types, re-renders
 * the PowerShell, asks the companion's probe for a verdict, runs the step (after a confirmation when it cannot be
 * undone), streams its output, offers Undo, and resumes a run still in flight after a reload.
 */
// First: zod must be configured before the catalog builds its schemas.
import './zod-config.ts';
import type { Account, ProbeResponse, RunAccepted, RunRecord } from '../runbook/api.ts';
import { getStep } from '../runbook/catalog.ts';
import { renderScript } from '../runbook/core/preview.ts';
import { describeIssue } from '../runbook/core/validation.ts';
import type { Confirmation, StepDefinition, StepId } from '../runbook/core/step.ts';
import { currentAccount, onSessionChange } from './auth/session.ts';
import { carry, fillStep, markEdited, practiceFields, usePracticeValues } from './carry-forward.ts';
import { api, CompanionError, streamRunEvents } from './companion.ts';
import { loadConfig } from './config.ts';
import { renderPowerShell } from './highlight-powershell.ts';
import { RunView } from './run-view.ts';
import { withStepLinks } from './step-links.ts';
import { announceRunEnded, announceStepState, onRunEnded, onTenantReset, type StepStatus } from './step-state.ts';
import { messageStatus, stepStatus } from './step-status.ts';
import { waitExplanation } from './wait-explanation.ts';

type Params = Record<string, unknown>;

// A dropped event stream is retried this many times in a row, waiting 1 s, 2 s, ... in between.
const RECONNECT_ATTEMPTS = 5;
const RECONNECT_DELAY_MS = 1_000;
// The probe waits for a pause in typing, so it does not run (and reword the verdict) on every keystroke or on blur.
const PROBE_DEBOUNCE_MS = 400;

/** Attaches the controller to a `<runbook-step>` element, once the companion has said which mode it runs in. */
export async function attachStepController(root: HTMLElement): Promise<void> {
  const step = getStep(root.dataset.step ?? '');
  if (!step) throw new Error(`<runbook-step>: unknown step "${root.dataset.step}"`);
  const { mode } = await loadConfig();
  new StepController(root, step, mode === 'sandbox');
}

class StepController {
  readonly #root: HTMLElement;
  readonly #step: StepDefinition;
  readonly #view: RunView;
  #params: Params | null = null;
  #running = false;
  #notify = false;
  #stream: AbortController | undefined;
  /** Fields the admin has typed in: only those (and fields with a value) show a rule they break, never an empty one. */
  readonly #touched = new Set<string>();
  /** The run this step follows, while it is in flight (what "Stop waiting" stops). */
  #runId: string | undefined;
  #probeTimer: ReturnType<typeof setTimeout> | undefined;
  // Only the newest probe may show its verdict: an older answer is for values the form no longer holds.
  #probeSeq = 0;
  // Bumped at every sign-in and sign-out: an answer that arrives for an earlier admin is dropped, never shown.
  #session = 0;
  // The signed-in admin's newest run of this step or its undo, and the newest probe: the verdict reads both.
  #lastRun: RunRecord | undefined;
  #probed: ProbeResponse | undefined;
  // The preview as the page was built, shown again when the admin signs out.
  readonly #staticPreview: Node[];

  constructor(root: HTMLElement, step: StepDefinition, sandbox: boolean) {
    this.#root = root;
    this.#step = step;
    this.#view = new RunView(root, sandbox);
    this.#staticPreview = [...root.querySelector('[data-preview]')!.childNodes].map((node) => node.cloneNode(true));
    this.#form?.addEventListener('input', (e) => {
      const field = e.target as HTMLInputElement | HTMLSelectElement;
      if (e.isTrusted) {
        this.#touched.add(field.name);
        markEdited(field);
        carry(field);
      }
      this.#validate();
      this.#scheduleProbe();
    });
    this.#form?.addEventListener('submit', (e) => e.preventDefault());
    this.#button('run').addEventListener('click', () => void this.#run(this.#step.id));
    this.#root.querySelector('[data-undo]')?.addEventListener('click', () => void this.#undo());
    this.#button('notify').addEventListener('click', () => void this.#askToNotify());
    this.#button('stop-wait').addEventListener('click', () => void this.#stopWaiting());
    root.addEventListener('runbook:signed-in', () => this.#button('run').focus());
    onSessionChange((account) => this.#onAccount(account));
    onRunEnded(() => {
      if (!this.#running) void this.#probe();
    });
    // The practice tenant was put back to its start: earlier results describe a tenant that is gone.
    onTenantReset(() => {
      if (this.#running) return;
      this.#lastRun = undefined;
      this.#view.clear();
      void this.#probe();
    });
    this.#onAccount(currentAccount());
  }

  get #form(): HTMLFormElement | null {
    return this.#root.querySelector('[data-form]');
  }

  #button(name: string): HTMLButtonElement {
    return this.#root.querySelector<HTMLButtonElement>(`[data-${name}]`)!;
  }

  /** Shows "Undo" (steps that have one) when the change is in place. */
  #showUndo(visible: boolean): void {
    const undo = this.#root.querySelector<HTMLButtonElement>('[data-undo]');
    if (undo) undo.hidden = !visible;
  }

  /** The text of a field's label, as the reader sees it. */
  #label(input: HTMLInputElement | HTMLSelectElement): string {
    return this.#root.querySelector(`label[for="${input.id}"]`)?.textContent ?? input.name;
  }

  #inputs(): Array<HTMLInputElement | HTMLSelectElement> {
    return [...(this.#form?.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[name]') ?? [])];
  }

  /**
   * Every sign-in and sign-out starts from a clean card: the previous admin's run, verdict, output and wait go, and
   * so do the values of the form. Signed in: suggest values for this tenant, validate, probe and resume a run.
   */
  #onAccount(account: Account | null): void {
    this.#session++;
    this.#probeSeq++;
    this.#stream?.abort();
    clearTimeout(this.#probeTimer);
    this.#running = false;
    this.#runId = undefined;
    this.#lastRun = undefined;
    this.#probed = undefined;
    this.#view.clear();
    this.#resetNotify();
    this.#showUndo(false);
    if (!account) {
      this.#resetForm();
      const practice = this.#root.querySelector<HTMLButtonElement>('[data-sandbox-values]');
      if (practice) practice.hidden = true;
      this.#verdict('Sign in to check this step against your tenant.');
      this.#button('run').disabled = true;
      announceStepState(this.#step.id, null);
      return;
    }
    this.#suggest(account);
    this.#validate();
    void this.#probe();
    void this.#resume();
    void this.#offerPracticeValues(account);
  }

  /** On the sandbox, offers "Use the sandbox's values" when the admin's tenant has values for this form. */
  async #offerPracticeValues(account: Account): Promise<void> {
    const button = this.#root.querySelector<HTMLButtonElement>('[data-sandbox-values]');
    const form = this.#form;
    if (!button || !form) return;
    const config = await loadConfig().catch(() => undefined);
    const values =
      config?.mode === 'sandbox'
        ? config.sandbox?.admins.find((a) => a.tid === account.tid)?.practiceValues
        : undefined;
    button.hidden = currentAccount()?.tid !== account.tid || practiceFields(form, values).length === 0;
    button.onclick = () => {
      if (values) usePracticeValues(form, values);
    };
  }

  /** Puts every field back to the value the page was built with (none counts as typed in), and the preview with it. */
  #resetForm(): void {
    this.#touched.clear();
    for (const input of this.#inputs()) {
      delete input.dataset.edited;
      if (input instanceof HTMLSelectElement) {
        for (const option of input.options) option.selected = option.defaultSelected;
      } else {
        input.value = input.defaultValue;
        input.checked = input.defaultChecked;
        input.dataset.initial = input.defaultValue;
      }
      input.removeAttribute('aria-invalid');
      this.#root.querySelector(`[data-error-for="${input.name}"]`)!.textContent = '';
    }
    this.#params = null;
    this.#root
      .querySelector('[data-preview]')!
      .replaceChildren(...this.#staticPreview.map((node) => node.cloneNode(true)));
  }

  /**
   * Pre-fills the catalog's suggestions for the signed-in admin (svc-ews@<tenant>) in fields the reader has not edited.
   */
  #suggest(account: Account): void {
    const suggested = this.#step.suggestParams?.(account) ?? {};
    for (const input of this.#inputs()) {
      const value = (suggested as Params)[input.name];
      if (value === undefined || !(input instanceof HTMLInputElement) || input.value !== input.dataset.initial)
        continue;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- suggestions are strings, numbers or lists
      input.value = Array.isArray(value) ? value.join(', ') : String(value);
      input.dataset.initial = input.value;
    }
  }

  /** Reads the form into the shape the schema expects. */
  #read(): Params {
    const raw: Params = {};
    for (const input of this.#inputs()) {
      const kind = input.dataset.kind;
      if (input instanceof HTMLInputElement && kind === 'checkbox') raw[input.name] = input.checked;
      else if (kind === 'list')
        raw[input.name] = input.value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      else if (input.value === '' && 'optional' in input.dataset) continue;
      else if (kind === 'number')
        raw[input.name] = input instanceof HTMLInputElement ? input.valueAsNumber : Number(input.value);
      else raw[input.name] = input.value;
    }
    return raw;
  }

  /** Validates with the step's zod schema, marks the fields, and re-renders the preview when the input is valid. */
  #validate(): void {
    const parsed = this.#step.params.safeParse(this.#read());
    const messages = new Map<string, string>();
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (!messages.has(field)) messages.set(field, describeIssue(issue).message);
      }
    }
    for (const input of this.#inputs()) {
      // An empty field nobody has typed in yet is not an error: the verdict asks to fill it in.
      const shown = this.#touched.has(input.name) || input.value.trim() !== '' ? messages.get(input.name) : undefined;
      input.setAttribute('aria-invalid', String(!!shown));
      this.#root.querySelector(`[data-error-for="${input.name}"]`)!.textContent = shown
        ? `${this.#label(input)} ${shown}.`
        : '';
    }
    this.#params = parsed.success ? (parsed.data as Params) : null;
    this.#renderPreview(this.#previewScript(messages));
    if (this.#params && this.#step.undo) fillStep(this.#step.undo.step, this.#step.undo.params(this.#params));
    if (!this.#params && currentAccount()) this.#askToFillIn([...messages.keys()]);
    this.#button('run').disabled = !this.#params || this.#running || !currentAccount();
  }

  /**
   * The PowerShell for the form as it is: the values that pass their rules, `<field>` where a value is missing or
   * breaks one, so the preview never shows a placeholder for a field that is filled in correctly.
   */
  #previewScript(invalid: Map<string, string>): string {
    if (this.#params) return renderScript(this.#step.plan(this.#params));
    const params = this.#read();
    for (const input of this.#inputs()) {
      if (!invalid.has(input.name)) continue;
      if ('optional' in input.dataset && input.value.trim() === '') delete params[input.name];
      else params[input.name] = input.dataset.kind === 'list' ? [`<${input.name}>`] : `<${input.name}>`;
    }
    try {
      return renderScript(this.#step.plan(params));
    } catch {
      return this.#root.querySelector('[data-preview] pre')?.textContent ?? '';
    }
  }

  /** Signed in with an incomplete form: the verdict names the fields to fill in instead of probing. */
  #askToFillIn(fields: string[]): void {
    clearTimeout(this.#probeTimer);
    this.#probeSeq++;
    const invalid = this.#inputs().filter((input) => fields.includes(input.name));
    const labels = invalid.map((input) => this.#label(input));
    const list =
      labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? 'the form');
    // "Fill in" while the fields are still empty; a value that breaks a rule is explained under its field.
    const verb = invalid.every((input) => input.value.trim() === '') ? 'Fill in' : 'Correct';
    this.#verdict(`${verb} ${list} to check this step against your tenant.`, 'Fill in the form');
    this.#showUndo(false);
  }

  /** Probes once the reader pauses typing; a run started meanwhile uses the form's values as they are then. */
  #scheduleProbe(): void {
    clearTimeout(this.#probeTimer);
    if (this.#params) this.#probeTimer = setTimeout(() => void this.#probe(), PROBE_DEBOUNCE_MS);
  }

  /** Replaces the preview with the script for the form's values, highlighted and wrapped as the page was built. */
  #renderPreview(script: string): void {
    this.#root.querySelector('[data-preview]')!.replaceChildren(renderPowerShell(script));
  }

  /**
   * Shows the step's status on the card and tells the checklist the same: a verdict ("Already done: <reason>", with
   * where to go instead when blocked), or a plain message such as "Checking your tenant…".
   */
  #verdict(status: StepStatus | string, checklist = 'Checking…', probe?: ProbeResponse): void {
    const shown = typeof status === 'string' ? messageStatus(status, checklist) : status;
    const p = this.#root.querySelector<HTMLElement>('[data-verdict]')!;
    p.removeAttribute('aria-busy');
    if (shown.probe) p.dataset.state = shown.probe;
    else delete p.dataset.state;
    if (!shown.label) p.replaceChildren(...withStepLinks(shown.text));
    else {
      const label = document.createElement('strong');
      label.textContent = shown.label;
      p.replaceChildren(label, ': ', ...withStepLinks(shown.text));
    }
    if (probe?.guide) {
      const link = document.createElement('a');
      link.href = probe.guide;
      link.textContent = probe.state === 'blocked' ? 'What to do instead' : 'Read more';
      p.append(' ', link);
    }
    this.#showUndo(probe?.state === 'done');
    if (!this.#running && currentAccount()) announceStepState(this.#step.id, shown);
  }

  /** The verdict for the newest probe and the admin's last run, once both are known. */
  #showProbe(probe: ProbeResponse): void {
    this.#verdict(stepStatus(this.#step, probe, this.#lastRun), undefined, probe);
  }

  /** Asks the companion's read-only probe what state the tenant is in for these parameters. */
  async #probe(): Promise<void> {
    clearTimeout(this.#probeTimer);
    if (!this.#params || !currentAccount()) return;
    const seq = ++this.#probeSeq;
    this.#probed = undefined;
    // A verdict already shown stays (marked busy) until the new one comes: the card keeps its height, no jump.
    const shown = this.#root.querySelector<HTMLElement>('[data-verdict]')!;
    if (shown.dataset.state) shown.setAttribute('aria-busy', 'true');
    else this.#verdict('Checking your tenant…');
    try {
      const probe = await api<ProbeResponse>(`/api/steps/${this.#step.id}/probe`, { params: this.#params });
      if (seq !== this.#probeSeq) return;
      this.#probed = probe;
      this.#showProbe(probe);
    } catch (e) {
      if (seq === this.#probeSeq) this.#cannotReach(e, 'Could not check this step');
    }
  }

  /**
   * A call to the companion failed. Unreachable: whatever the card showed is stale, so it gives way to what is wrong
   * and how to fix it. Otherwise the verdict (or the result, for a run) says what the companion answered.
   */
  #cannotReach(e: unknown, prefix: string): void {
    const message = (e as Error).message;
    if (e instanceof CompanionError && e.status === 0) {
      this.#probed = undefined;
      this.#view.clear();
      this.#verdict(message, 'Companion not running');
    } else this.#verdict(`${prefix}: ${message}`, 'Could not check');
  }

  /** After a sign-in or a reload: follows this step's run if it is still in flight, or shows how the last one ended. */
  async #resume(): Promise<void> {
    const session = this.#session;
    try {
      const runs = await api<RunRecord[]>('/api/runs?limit=100');
      if (session !== this.#session) return;
      // A run from before the practice tenant's last reset describes a tenant that is gone (it stays in the
      // transcript).
      const last = runs.find(
        (run) => (run.step === this.#step.id || run.step === this.#step.undo?.step) && !run.tenantResetAt,
      );
      this.#lastRun = last;
      if (last?.status === 'running') await this.#follow(last.id);
      else if (last && !this.#running) {
        const ran = getStep(last.step);
        this.#view.finish(last, ran?.title ?? last.step, this.#step.guide, true, ran?.readOnly);
      }
      if (session === this.#session && this.#probed && !this.#running) this.#showProbe(this.#probed);
    } catch {
      // Nothing to resume; the probe already says where the tenant stands.
    }
  }

  /**
   * Runs `stepId` (this step, or its undo) with `params`. A step that takes access away or cannot be undone asks first,
   * unless the probe shows the tenant in the wanted state already, so that running it again changes nothing.
   */
  async #run(stepId: StepId, params = this.#params): Promise<void> {
    if (!params || this.#running) return;
    const question = getStep(stepId)?.confirm?.(params);
    const harmless = stepId === this.#step.id && this.#probed?.state === 'done';
    if (question && !harmless && !(await this.#confirm(question))) return;
    try {
      const accepted = await api<RunAccepted>('/api/runs', { step: stepId, params });
      await this.#follow(accepted.id);
    } catch (e) {
      this.#running = false;
      if (e instanceof CompanionError && e.status === 0) this.#cannotReach(e, '');
      else this.#view.problem((e as Error).message);
      this.#validate();
    }
  }

  /** Runs the undo step (remove-role-group for create-role-group) with parameters derived from this step's. */
  async #undo(): Promise<void> {
    if (this.#step.undo && this.#params) await this.#run(this.#step.undo.step, this.#step.undo.params(this.#params));
  }

  /** Shows a run from its record, then streams its events until it ends; drops it when the admin signs out. */
  async #follow(runId: string): Promise<void> {
    const session = this.#session;
    this.#running = true;
    clearTimeout(this.#probeTimer);
    this.#button('run').disabled = true;
    this.#showUndo(false);
    const record = await api<RunRecord>(`/api/runs/${encodeURIComponent(runId)}`);
    if (session !== this.#session) return;
    const title = getStep(record.step)?.title ?? record.step;
    const why = waitExplanation(record.step, await loadConfig().catch(() => undefined));
    this.#runId = runId;
    this.#view.start(record.startedAt);
    this.#view.output(record.output, why);
    announceStepState(this.#step.id, messageStatus('', 'Running', 'busy'));
    const ended = record.status === 'running' ? await this.#streamUntilEnd(runId, why) : record;
    if (session !== this.#session) return;
    this.#running = false;
    this.#runId = undefined;
    if (!ended) {
      this.#verdict('Lost track of the run: reload the page to see how it ended.', 'Connection lost');
      this.#validate();
      return;
    }
    this.#lastRun = ended;
    this.#view.finish(ended, title, this.#step.guide, false, getStep(ended.step)?.readOnly);
    if (this.#notify) new Notification(`${title}: ${ended.status}`, { body: 'Exchange Online Runbook' });
    this.#view.focusResult();
    // The verdict from before the run is stale now; every step probes again (this one too) once the run has ended.
    this.#probed = undefined;
    this.#verdict('Checking your tenant…');
    this.#validate();
    announceRunEnded();
  }

  /**
   * Streams a run's events until its `end`. A stream that drops (sleep, network, companion restart) is picked up again
   * with growing pauses; the view skips lines it has already shown, so nothing appears twice.
   */
  async #streamUntilEnd(runId: string, why: string): Promise<RunRecord | null> {
    const signal = (this.#stream = new AbortController()).signal;
    for (let attempt = 1; ; attempt++) {
      let ended: RunRecord | undefined;
      try {
        await streamRunEvents(
          runId,
          (event) => {
            attempt = 1;
            if (event.event === 'output') {
              this.#view.output([event.data], why);
              if (event.data.kind === 'wait') announceStepState(this.#step.id, messageStatus('', 'Waiting', 'busy'));
            } else if (event.event === 'end') ended = event.data;
          },
          signal,
        );
      } catch {
        // Dropped: the record below says whether the run ended meanwhile.
      }
      if (ended) return ended;
      if (signal.aborted) return null;
      const record = await api<RunRecord>(`/api/runs/${encodeURIComponent(runId)}`).catch(() => undefined);
      if (record && record.status !== 'running') return record;
      if (attempt > RECONNECT_ATTEMPTS) {
        this.#view.problem('Lost the connection to the companion. Reload the page to pick the run up again.', true);
        return null;
      }
      if (record) this.#view.output(record.output, why);
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS * attempt));
    }
  }

  /** Asks `question` in the confirmation dialog; resolves true only when the reader confirms. */
  #confirm(question: Confirmation): Promise<boolean> {
    const dialog = this.#root.querySelector<HTMLDialogElement>('[data-confirm]')!;
    dialog.querySelector('[data-confirm-title]')!.textContent = question.title;
    dialog.querySelector('[data-confirm-text]')!.textContent = question.text;
    dialog.querySelector('[data-confirm-action]')!.textContent = question.action;
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  /** Back to "Notify me when it is done": a notification asked for belongs to the admin who asked. */
  #resetNotify(): void {
    const button = this.#button('notify');
    this.#notify = false;
    button.textContent = 'Notify me when it is done';
    button.disabled = false;
  }

  /** Asks the companion to end this step's wait; the run then ends as stopped and the stream says so. */
  async #stopWaiting(): Promise<void> {
    const button = this.#button('stop-wait');
    if (!this.#runId) return;
    button.disabled = true;
    try {
      await api(`/api/runs/${encodeURIComponent(this.#runId)}/stop`, {});
    } catch (e) {
      button.disabled = false;
      this.#view.problem(`Could not stop the wait: ${(e as Error).message}`);
    }
  }

  /** Asks for permission to notify when a long wait ends. */
  async #askToNotify(): Promise<void> {
    const button = this.#button('notify');
    this.#notify = (await Notification.requestPermission()) === 'granted';
    button.textContent = this.#notify ? 'You will be notified' : 'Notifications are blocked in this browser';
    button.disabled = true;
  }
}
