/**
 * What a step shows about a run: the status line (announced), the output, the honest wait (elapsed time, next check,
 * why it can take hours), and the outcome with the catalog's explanation and a link to the guide.
 */
import type { RunRecord, RunStatus } from '../runbook/api.ts';
import type { StepOutput } from '../runbook/core/step.ts';
import { WAIT_STOPPED_TYPE } from '../runbook/core/wait.ts';

/** How the status line reads; a run whose wait the admin stopped is "Stopped", not "Failed". */
type ShownStatus = RunStatus | 'waiting' | 'stopped';
const STATUS_TEXT: Record<ShownStatus, string> = {
  running: 'Running', waiting: 'Waiting', succeeded: 'Succeeded', failed: 'Failed', unknown: 'Unknown', stopped: 'Stopped',
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
function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export class RunView {
  readonly #root: HTMLElement;
  readonly #seen = new Set<string>();
  #ticker: ReturnType<typeof setInterval> | undefined;
  #startedAt = 0;
  #nextCheckAt = 0;

  constructor(root: HTMLElement) {
    this.#root = root;
  }

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    return this.#root.querySelector<T>(`[data-${name}]`)!;
  }

  /** Clears everything for a new run that started at `startedAt`. */
  start(startedAt: string): void {
    this.#seen.clear();
    this.#part('output').replaceChildren();
    this.#part('output').hidden = true;
    this.#part('result').hidden = true;
    this.#startedAt = Date.parse(startedAt);
    this.status('running');
  }

  /** Hides everything a run showed (the practice tenant was reset: those results are about a tenant that is gone). */
  clear(): void {
    this.status(null);
    this.#seen.clear();
    this.#part('output').replaceChildren();
    this.#part('output').hidden = true;
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
      const item = el('li', line.text);
      item.dataset.kind = line.kind;
      list.append(item);
      list.hidden = false;
      if (line.kind === 'wait') this.#waiting(line, waitWhy);
      else if (this.#ticker && line.kind !== 'command') this.status('running');
    }
    list.scrollTop = list.scrollHeight;
  }

  /** Shows the wait with a ticking clock; the status line says "Waiting" once, not every second. */
  #waiting(line: StepOutput, why: string): void {
    const data = line.data as Partial<WaitData> | undefined;
    this.#nextCheckAt = data?.nextCheckAt ? Date.parse(data.nextCheckAt) : 0;
    this.#part('wait-line').textContent = data?.waitingFor
      ? `Waiting for ${data.waitingFor}. Check ${data.attempt ?? '?'}: ${data.reason ?? ''}.`
      : line.text;
    this.#part('wait-why').textContent = why;
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
  finish(run: RunRecord, title: string, fallbackGuide: string, earlier = false): void {
    if (earlier) this.start(run.startedAt);
    this.output(run.output, '');
    const stopped = run.error?.type === WAIT_STOPPED_TYPE;
    this.status(stopped ? 'stopped' : run.status);
    const result = this.#part('result');
    result.dataset.outcome = run.status;
    const parts: HTMLElement[] = [];
    if (earlier) parts.push(el('p', `Last run, started ${new Date(run.startedAt).toLocaleString()}:`, 'rb-hint'));
    if (run.status === 'succeeded') {
      parts.push(el('p', `${title}: done.`));
    } else if (stopped) {
      result.dataset.outcome = 'stopped';
      parts.push(el('p', run.error!.message), el('p', 'Stopping changed nothing in the tenant. Run this step again whenever you want to check again.'));
    } else if (run.error) {
      const what = el('p');
      what.append(el('strong', 'Exchange said: '), el('span', run.error.message, 'rb-error-text'));
      parts.push(what);
      if (run.error.explanation) {
        const meaning = el('p');
        meaning.append(el('strong', 'What it means: '), run.error.explanation.meaning);
        const action = el('p');
        action.append(el('strong', 'What to do: '), run.error.explanation.action);
        parts.push(meaning, action);
      }
      const link = el('a', 'Read about this in the guide');
      link.href = run.error.guide ?? fallbackGuide;
      const p = el('p');
      p.append(link);
      parts.push(p);
    } else {
      parts.push(el('p', run.status === 'unknown'
        ? 'The companion lost track of this run (it restarted or the call was cut off). The check above tells the current state.'
        : `${title}: failed.`));
    }
    result.replaceChildren(...parts);
    result.hidden = false;
  }

  /** Shows a problem that is not a run outcome (companion unreachable, another run in flight, bad input). */
  problem(message: string): void {
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
