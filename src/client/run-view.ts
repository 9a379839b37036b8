/**
 * What a step shows about a run: the status line (announced), the output, the honest wait (elapsed time, next check,
 * why it can take hours), and the outcome with the catalog's explanation and a link to the guide.
 */
import type { RunError, RunRecord, RunStatus } from '../runbook/api.ts';
import type { ResultTable, StepOutput } from '../runbook/core/step.ts';
import { WAIT_STOPPED_TYPE } from '../runbook/core/wait.ts';
import { withStepLinks } from './step-links.ts';

/** How the status line reads; a run whose wait the admin stopped is "Stopped", not "Failed". */
type ShownStatus = RunStatus | 'waiting' | 'stopped';
const STATUS_TEXT: Record<ShownStatus, string> = {
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Unknown',
  stopped: 'Stopped',
};

/** The wait line's data as the catalog's backoff emits it (src/runbook/core/wait.ts). */
interface WaitData {
  attempt: number;
  nextCheckAt: string;
  waitingFor: string;
  reason: string;
}

/** "0:42", "1:05:09". */
function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const mm = String(Math.floor(s / 60) % 60).padStart(s >= 3600 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Creates an element with text. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// On the sandbox, whose words an error shows: the simulator reproduces Exchange's where they are known.
const SANDBOX_SAID: Record<Exclude<RunError['wording'], 'runbook' | undefined> | 'none', string> = {
  exchange: "The sandbox answered in Exchange's words: ",
  generic: "The sandbox answered in Exchange's usual words (unconfirmed for this case): ",
  powershell: "The sandbox answered in PowerShell's words: ",
  sandbox: "The sandbox's own words (what Exchange says here is unconfirmed): ",
  none: 'The sandbox said: ',
};

// Errors whose text the runbook or the companion wrote (a wait that ran out, a run cut off), not Exchange.
const OWN_ERROR = /^(?:Runbook\.|CompanionInterrupted$|CallInterrupted$)/;

/** A result table: one header row, and True / False told apart by colour, a mark and the word itself. */
function table(data: ResultTable): HTMLTableElement {
  const node = el('table', undefined, 'rb-table');
  if (data.caption) node.createCaption().textContent = data.caption;
  const head = node.createTHead().insertRow();
  for (const name of data.columns) {
    const th = el('th', name);
    th.scope = 'col';
    head.append(th);
  }
  const body = node.createTBody();
  for (const row of data.rows) {
    const tr = body.insertRow();
    for (const value of row) {
      const td = tr.insertCell();
      if (typeof value !== 'boolean') td.textContent = value;
      else {
        const mark = el('span', value ? '✓' : '✗', 'rb-bool-mark');
        mark.setAttribute('aria-hidden', 'true');
        const word = el('span', value ? 'True' : 'False', 'rb-bool');
        word.dataset.value = String(value);
        word.prepend(mark, ' ');
        td.append(word);
      }
    }
  }
  return node;
}

export class RunView {
  readonly #root: HTMLElement;
  readonly #seen = new Set<string>();
  /** Who answers the cmdlets: the sandbox's simulator, or Exchange itself (tenant mode). */
  readonly #sandbox: boolean;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #startedAt = 0;
  #nextCheckAt = 0;
  #lastRefusal = '';

  constructor(root: HTMLElement, sandbox: boolean) {
    this.#root = root;
    this.#sandbox = sandbox;
  }

  /** How an answer to a cmdlet is introduced: the sandbox's or Exchange's, never one passed off as the other. */
  get #answered(): string {
    return this.#sandbox ? 'The sandbox answered: ' : 'Exchange answered: ';
  }

  /** Who wrote an error's text, as the result introduces it (the sandbox's own wording is never "Exchange said"). */
  #saidBy(error: RunError): string {
    const { wording = 'none' } = error;
    if (wording === 'runbook' || OWN_ERROR.test(error.type)) return 'What happened: ';
    return this.#sandbox ? SANDBOX_SAID[wording] : 'Exchange said: ';
  }

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    return this.#root.querySelector<T>(`[data-${name}]`)!;
  }

  /** Clears everything for a new run that started at `startedAt`. */
  start(startedAt: string): void {
    this.clear();
    this.#startedAt = Date.parse(startedAt);
    this.status('running');
  }

  /**
   * Empties the card's run part (status, wait, output, result): nothing of an earlier run or admin stays, nor of a
   * practice tenant that was reset since.
   */
  clear(): void {
    this.#seen.clear();
    this.#lastRefusal = '';
    this.status(null);
    // The attribute marks the status line, so it stays (empty) instead of going.
    this.#part('status').dataset.status = '';
    this.#part('output').replaceChildren();
    this.#part('output').hidden = true;
    this.#part('result').replaceChildren();
    this.#part('result').hidden = true;
  }

  /** Sets the announced status line. */
  status(status: ShownStatus | null): void {
    const line = this.#part('status');
    const text = status ? STATUS_TEXT[status] : '';
    if (line.textContent !== text) line.textContent = text;
    if (status) line.dataset.status = status;
    if (status !== 'waiting') this.#stopWaiting();
  }

  /** Appends output lines not shown yet (a resumed run replays what it already printed). */
  output(lines: StepOutput[], waitWhy: string): void {
    const list = this.#part('output');
    for (const line of lines) {
      const key = `${line.at}|${line.kind}|${line.text}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      list.append(this.#line(line));
      list.hidden = false;
      if (line.kind === 'wait') this.#waiting(line, waitWhy);
      else if (this.#ticker && line.kind !== 'command') this.status('running');
    }
    list.scrollTop = list.scrollHeight;
  }

  /**
   * One output line: a command as it ran, an answer labelled with who gave it, the runbook's explanations and results
   * (step names linked), a result's table as a table.
   */
  #line(line: StepOutput): HTMLLIElement {
    const item = el('li');
    item.dataset.kind = line.kind;
    const data = line.data as { table?: ResultTable } | undefined;
    if (line.kind === 'error') {
      this.#lastRefusal = line.text;
      item.append(el('span', this.#answered, 'rb-line-label'), el('span', line.text));
    } else if (line.kind === 'command') item.textContent = line.text;
    else if (data?.table) item.append(table(data.table));
    else item.append(...withStepLinks(line.text));
    return item;
  }

  /** Shows the wait with a ticking clock; the status line says "Waiting" once, not every second. */
  #waiting(line: StepOutput, why: string): void {
    const data = line.data as Partial<WaitData> | undefined;
    this.#nextCheckAt = data?.nextCheckAt ? Date.parse(data.nextCheckAt) : 0;
    this.#part('wait-line').textContent = data?.waitingFor
      ? `Waiting for ${data.waitingFor}. Check ${data.attempt ?? '?'}: ${data.reason ?? ''}.`
      : line.text;
    this.#part('wait-why').textContent = why;
    this.#part('wait-answer').textContent = this.#lastRefusal ? `${this.#answered}${this.#lastRefusal}` : '';
    this.#part('wait').hidden = false;
    this.#part('notify').hidden = !('Notification' in window) || Notification.permission === 'denied';
    const stop = this.#part<HTMLButtonElement>('stop-wait');
    if (stop.hidden) stop.disabled = false;
    stop.hidden = false;
    this.status('waiting');
    const tick = () => {
      const now = Date.now();
      this.#part('elapsed').textContent = `Elapsed ${clock(now - this.#startedAt)}.`;
      this.#part('next-check').textContent = this.#nextCheckAt
        ? `Next check at ${new Date(this.#nextCheckAt).toLocaleTimeString()} (in ${clock(this.#nextCheckAt - now)}).`
        : '';
    };
    tick();
    clearInterval(this.#ticker);
    this.#ticker = setInterval(tick, 1000);
  }

  #stopWaiting(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#part('wait').hidden = true;
    this.#part('stop-wait').hidden = true;
  }

  /**
   * Shows how the run ended: success, or the error with the catalog's explanation and the guide section. A run found
   * on the companion when the page loads (`earlier`) says when it ran, since the tenant may have moved on since.
   */
  finish(run: RunRecord, title: string, fallbackGuide: string, earlier = false, readOnly = false): void {
    if (earlier) this.start(run.startedAt);
    this.output(run.output, '');
    const stopped = run.error?.type === WAIT_STOPPED_TYPE;
    this.status(stopped ? 'stopped' : run.status);
    const result = this.#part('result');
    result.dataset.outcome = run.status;
    const parts: HTMLElement[] = [];
    if (earlier) parts.push(el('p', `Last run, started ${new Date(run.startedAt).toLocaleString()}:`, 'rb-hint'));
    if (run.status === 'succeeded') {
      parts.push(el('p', `${title}: ${readOnly ? 'checked' : 'done'}.`));
    } else if (stopped) {
      result.dataset.outcome = 'stopped';
      parts.push(
        el('p', run.error!.message),
        el('p', 'Stopping changed nothing in the tenant. Run this step again whenever you want to check again.'),
      );
    } else if (run.error) {
      const what = el('p');
      what.append(el('strong', this.#saidBy(run.error)), el('span', run.error.message, 'rb-error-text'));
      parts.push(what);
      if (run.error.explanation) {
        const meaning = el('p');
        meaning.append(el('strong', 'What it means: '), ...withStepLinks(run.error.explanation.meaning));
        const action = el('p');
        action.append(el('strong', 'What to do: '), ...withStepLinks(run.error.explanation.action));
        parts.push(meaning, action);
      }
      const link = el('a', 'Read about this in the guide');
      link.href = run.error.guide ?? fallbackGuide;
      const p = el('p');
      p.append(link);
      parts.push(p);
    } else {
      parts.push(
        el(
          'p',
          run.status === 'unknown'
            ? 'The companion lost track of this run (it restarted or the call was cut off). The check above tells the current state.'
            : `${title}: failed.`,
        ),
      );
    }
    result.replaceChildren(...parts);
    result.hidden = false;
  }

  /**
   * Shows a problem that is not a run outcome (another run in flight, bad input, a dropped stream). A run that could
   * not start clears the card first, so no earlier output reads as if it belonged to it; `keepOutput` keeps the lines
   * of the run in progress.
   */
  problem(message: string, keepOutput = false): void {
    if (!keepOutput) this.clear();
    this.status(null);
    const result = this.#part('result');
    result.dataset.outcome = 'failed';
    result.replaceChildren(el('p', message));
    result.hidden = false;
  }

  /** Moves focus to the outcome, so keyboard and screen-reader users land on what happened. */
  focusResult(): void {
    this.#part('result').focus();
  }
}
