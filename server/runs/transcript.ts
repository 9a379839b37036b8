/**
 * The caller's transcript, an audit record: who ran what, in which tenant (name and id), on what (the sandbox's
 * simulated tenant or Exchange Online), when, with which parameters, the exact PowerShell, what ran and what Exchange
 * (or the sandbox) answered, kept apart from the runbook's own notes, and the outcome; links are absolute, so the file
 * reads the same outside the site. As JSON for tools and as Markdown for a change record. Values are shown verbatim
 * inside code fences longer than any backtick run they contain, so no parameter can break out of its block.
 */
import type { RunError, RunRecord } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { StepOutput } from '../../src/runbook/core/step.ts';

/** Where the runs of a transcript ran, and what the links in it point to. */
export interface TranscriptSetting {
  /** The site's origin, e.g. `http://127.0.0.1:4321`, for absolute links. */
  origin: string;
  tenant: { id: string; name: string };
  mode: 'sandbox' | 'tenant';
  executor: 'sandbox' | 'powershell';
  /** The steps as texts name them (their titles) and where their cards are (`guide`, a page path with an anchor). */
  steps: ReadonlyArray<{ id: string; title: string; guide: string }>;
}

export interface Transcript {
  generatedAt: string;
  actor: { upn: string; tid: string; name?: string };
  tenant: { id: string; name: string };
  /** `sandbox`: nothing reached Exchange Online; the answers are the sandbox's. */
  ranOn: { mode: 'sandbox' | 'tenant'; executor: 'sandbox' | 'powershell'; description: string };
  /** Oldest first, as a change record reads; `stepUrl` is the step's card, `error.guide` absolute. */
  runs: Array<RunRecord & { title: string; stepUrl: string }>;
}

/** What ran the cmdlets, in words. */
function ranOn(setting: TranscriptSetting): string {
  if (setting.mode === 'tenant') return 'Exchange Online, through PowerShell (ExchangeOnlineManagement), as the admin above';
  return setting.executor === 'powershell'
    ? "the sandbox, through PowerShell: a rehearsal, every cmdlet answered by the sandbox's simulated tenant; nothing reached Exchange Online"
    : "the sandbox: a simulated tenant on the companion's machine; nothing reached Exchange Online";
}

/** Builds the transcript from the actor's runs (given newest first, as the store lists them). */
export function buildTranscript(actor: Actor, newestFirst: RunRecord[], setting: TranscriptSetting, now: Date): Transcript {
  const who: Transcript['actor'] = { upn: actor.upn, tid: actor.tid };
  if (actor.name) who.name = actor.name;
  const absolute = (path: string) => new URL(path, setting.origin).href;
  const steps = new Map(setting.steps.map((step) => [step.id, step]));
  return {
    generatedAt: now.toISOString(),
    actor: who,
    tenant: setting.tenant,
    ranOn: { mode: setting.mode, executor: setting.executor, description: ranOn(setting) },
    runs: [...newestFirst].reverse().map((run) => {
      const step = steps.get(run.step);
      const card = `${step?.guide.split('#')[0] ?? '/'}#run-${run.step}`;
      const error = run.error && { ...run.error, ...(run.error.guide ? { guide: absolute(run.error.guide) } : {}) };
      return { ...run, ...(error ? { error } : {}), title: step?.title ?? run.step, stepUrl: absolute(card) };
    }),
  };
}

/** A fenced block whose fence is longer than any run of backticks inside `text`. */
function fence(text: string, info = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}${info}\n${text}\n${marks}`;
}

/** Inline text for a Markdown line: newlines and Markdown punctuation cannot start a heading or a link. */
function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&').replace(/\r?\n/g, ' ');
}

// Errors whose text the runbook or the companion wrote (a wait that ran out, a run cut off), not Exchange.
const OWN_ERROR = /^(?:Runbook\.|CompanionInterrupted$|CallInterrupted$)/;

// On the sandbox, whose words an error shows (the errors page marks the same).
const SANDBOX_SAID: Record<Exclude<RunError['wording'], 'runbook' | undefined> | 'none', string> = {
  exchange: "The sandbox said, in Exchange's words",
  generic: "The sandbox said, in Exchange's usual words (unconfirmed for this case)",
  powershell: "The sandbox said, in PowerShell's words",
  sandbox: "The sandbox said, in its own words (what Exchange says here is unconfirmed)",
  none: 'The sandbox said',
};

// How the runbook's own output lines are introduced in the notes.
const NOTE: Partial<Record<StepOutput['kind'], string>> = { info: 'Why', wait: 'Waiting', result: 'Result', warning: 'Cut off' };

/** Renders the transcript as Markdown. */
export function transcriptMarkdown(t: Transcript, setting: TranscriptSetting): string {
  const sandbox = t.ranOn.mode === 'sandbox';
  const answered = sandbox ? 'The sandbox answered' : 'Exchange answered';
  const cards = new Map(t.runs.map((run) => [run.title, run.stepUrl]));
  for (const step of setting.steps) cards.set(step.title, new URL(`${step.guide.split('#')[0]}#run-${step.id}`, setting.origin).href);
  /** Inline text with every quoted step title linked to its card. */
  const prose = (text: string) => inline(text).replace(/“([^”]+)”/g, (whole, title: string) => (cards.has(title) ? `“[${title}](${cards.get(title)})”` : whole));
  const lines = [
    '# Exchange Online Runbook transcript',
    '',
    `- Admin: ${inline(t.actor.name ? `${t.actor.name} <${t.actor.upn}>` : t.actor.upn)}`,
    `- Tenant: ${inline(t.tenant.name)} (${inline(t.tenant.id)})`,
    `- Ran on: ${inline(t.ranOn.description)}`,
    `- Generated: ${t.generatedAt}`,
    `- Runs: ${t.runs.length}`,
  ];
  for (const run of t.runs) {
    // Exchange's words (what ran, and its answers) in one block; the runbook's reading of them as notes below it.
    const said = run.output.filter((o) => o.kind === 'command' || o.kind === 'error');
    const notes = run.output.filter((o) => o.kind !== 'command' && o.kind !== 'error');
    lines.push('', `## ${inline(run.title)}`, '',
      `- Step: [${inline(run.title)}](${run.stepUrl})`,
      `- Run: ${run.id}`,
      `- Started: ${run.startedAt}`,
      `- Ended: ${run.endedAt ?? 'still running'}`,
      `- Outcome: **${run.status}**`,
      '', 'Parameters:', '', fence(JSON.stringify(run.params, null, 2), 'json'),
      '', 'PowerShell:', '', fence(run.script, 'powershell'),
      '', `What ran, and what ${sandbox ? 'the sandbox' : 'Exchange'} answered:`, '',
      fence(said.map((o) => `${o.at} ${o.kind === 'command' ? 'PS>' : `${answered}:`} ${o.text}`).join('\n') || '(nothing ran)', 'text'));
    if (notes.length) {
      lines.push('', "The runbook's notes:", '');
      for (const note of notes) {
        const [first, ...more] = note.text.split('\n');
        lines.push(`- ${note.at} ${NOTE[note.kind] ?? note.kind}: ${prose(first!)}`);
        if (more.length) lines.push('', fence(more.join('\n'), 'text').replace(/^/gm, '  '), '');
      }
    }
    if (run.error) {
      const { wording = 'none' } = run.error;
      const by = wording === 'runbook' || OWN_ERROR.test(run.error.type) ? 'The runbook found' : !sandbox ? 'Exchange said' : SANDBOX_SAID[wording];
      lines.push('', `${by}:`, '', fence(`${run.error.type}: ${run.error.message}`, 'text'));
      if (run.error.explanation) {
        lines.push('', `Meaning: ${prose(run.error.explanation.meaning)}`, '', `Next: ${prose(run.error.explanation.action)}`);
      }
      if (run.error.guide) lines.push('', `Guide: ${run.error.guide}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
