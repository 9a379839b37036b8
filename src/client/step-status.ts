/**
 * One coherent state per step: the verdict on the card and the line in the checklist both come from `stepStatus`,
 * which reads the probe (where the tenant stands) together with the admin's last run of the step (what they did).
 */
import type { ProbeResponse, RunRecord } from '../runbook/api.ts';
import { STEPS } from '../runbook/catalog.ts';
import type { StepDefinition } from '../runbook/core/step.ts';
import { WAIT_STOPPED_TYPE } from '../runbook/core/wait.ts';
import type { StepStatus, Tone } from './step-state.ts';

// A step that is another step's undo (remove-role-group, the RBAC removals): with nothing to remove it is not "done".
const REMOVALS = new Set<string>(STEPS.flatMap((step) => (step.undo ? [step.undo.step] : [])));

/** "15:04" today, or the date and time for an older run. */
function when(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString();
}

/**
 * The state of `step` for the signed-in admin. `lastRun` is the admin's newest run of this step or of its undo (the
 * card shows that one), so "you did it" holds only when that newest run is this step's own and it succeeded.
 */
export function stepStatus(step: StepDefinition, probe: ProbeResponse, lastRun: RunRecord | undefined): StepStatus {
  const ranIt = lastRun?.step === step.id && lastRun.status === 'succeeded';
  // A wait the admin stopped is not a failure: the step is simply still to do (or done, as the probe says).
  const failed = lastRun?.step === step.id && lastRun.status === 'failed' && lastRun.error?.type !== WAIT_STOPPED_TYPE;
  const byYou = ranIt ? `You ran this step at ${when(lastRun.startedAt)}. ` : '';
  const state = probe.state;
  if (state === 'done') {
    if (ranIt)
      return { label: 'Done', text: `${byYou}${probe.reason}`, checklist: 'Done by you', tone: 'done', probe: state };
    if (REMOVALS.has(step.id))
      return {
        label: 'Nothing to remove',
        text: probe.reason,
        checklist: 'Nothing to remove',
        tone: 'neutral',
        probe: state,
      };
    if (step.readOnly) return { label: 'OK', text: probe.reason, checklist: 'OK', tone: 'done', probe: state };
    return { label: 'Already done', text: probe.reason, checklist: 'Already done', tone: 'done', probe: state };
  }
  // A change that takes effect later (Enable-OrganizationCustomization): the run did its part, the tenant catches up.
  if (state === 'needed' && ranIt && step.pendingAfterRun) {
    return {
      label: 'Done',
      text: `${byYou}${step.pendingAfterRun}`,
      checklist: 'Done by you, taking effect',
      tone: 'done',
      probe: 'done',
    };
  }
  if (state === 'blocked')
    return {
      label: 'Blocked',
      text: probe.reason,
      checklist: failed ? 'Failed, blocked' : 'Blocked',
      tone: 'blocked',
      probe: state,
    };
  return {
    label: 'Needed',
    text: probe.reason,
    checklist: failed ? 'Failed, to do' : 'To do',
    tone: failed ? 'failed' : 'todo',
    probe: state,
  };
}

/** A status that is only a message on the card (no verdict yet), with the checklist's short form of it. */
export function messageStatus(text: string, checklist: string, tone: Tone = 'neutral'): StepStatus {
  return { text, checklist, tone };
}
