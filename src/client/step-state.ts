/** Step states shared on the page: each step announces its own, the checklist listens. */
import type { StepId } from '../runbook/core/step.ts';

export type StepState = 'done' | 'needed' | 'blocked' | 'running' | 'waiting' | 'succeeded' | 'failed';
export interface StepStateDetail {
  id: StepId;
  /** null when signed out (nothing is known about the tenant). */
  state: StepState | null;
}
export const STEP_STATE_EVENT = 'runbook:step-state';

/** Tells the page that a step's state changed. */
export function announceStepState(id: StepId, state: StepState | null): void {
  window.dispatchEvent(new CustomEvent<StepStateDetail>(STEP_STATE_EVENT, { detail: { id, state } }));
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
