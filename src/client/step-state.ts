/**
 * Step states shared on the page: each step announces its status (src/client/step-status.ts decides it), the checklist
 * listens. Kept free of the catalog, because the checklist loads with the page.
 */
import type { ProbeResponse } from '../runbook/api.ts';
import type { StepId } from '../runbook/core/step.ts';

/** How the checklist colours a state. */
export type Tone = 'done' | 'todo' | 'blocked' | 'busy' | 'failed' | 'neutral';

/** What a step shows: the verdict's label (card) and the checklist's label, which agree by construction. */
export interface StepStatus {
  /** The verdict's bold label, e.g. "Already done"; absent for plain messages ("Checking your tenant…"). */
  label?: string;
  /** The verdict's text after the label. */
  text: string;
  /** The checklist's wording, e.g. "Done by you". */
  checklist: string;
  tone: Tone;
  /** The probe's state the verdict is drawn from, for styling the card. */
  probe?: ProbeResponse['state'];
}

export interface StepStateDetail {
  id: StepId;
  /** null when signed out (nothing is known about the tenant). */
  status: StepStatus | null;
}
export const STEP_STATE_EVENT = 'runbook:step-state';

/** Tells the page that a step's state changed. */
export function announceStepState(id: StepId, status: StepStatus | null): void {
  window.dispatchEvent(new CustomEvent<StepStateDetail>(STEP_STATE_EVENT, { detail: { id, status } }));
}

const RUN_ENDED_EVENT = 'runbook:run-ended';

/** Tells every step that a run ended: the tenant may have changed, so their verdicts may be stale. */
export function announceRunEnded(): void {
  window.dispatchEvent(new Event(RUN_ENDED_EVENT));
}

/** Calls `listener` whenever any step's run ends. */
export function onRunEnded(listener: () => void): void {
  window.addEventListener(RUN_ENDED_EVENT, listener);
}

const TENANT_RESET_EVENT = 'runbook:tenant-reset';

/** Tells every step that the admin's practice tenant was put back to its starting state. */
export function announceTenantReset(): void {
  window.dispatchEvent(new Event(TENANT_RESET_EVENT));
}

/** Calls `listener` after the practice tenant was reset. */
export function onTenantReset(listener: () => void): void {
  window.addEventListener(TENANT_RESET_EVENT, listener);
}
