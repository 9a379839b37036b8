/**
 * The caller's transcript: who ran what, in which tenant, when, with which parameters, the exact PowerShell, the
 * output and the outcome; as JSON for tools and as Markdown for a change record. Values are shown verbatim inside
 * code fences longer than any backtick run they contain, so no parameter can break out of its block.
 */
import type { RunRecord } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';

export interface Transcript {
  generatedAt: string;
  actor: { upn: string; tid: string; name?: string };
  /** Oldest first, as a change record reads. */
  runs: Array<RunRecord & { title: string }>;
}

/** Builds the transcript from the actor's runs (given newest first, as the store lists them). */
export function buildTranscript(actor: Actor, newestFirst: RunRecord[], titleOf: (step: string) => string, now: Date): Transcript {
  const who: Transcript['actor'] = { upn: actor.upn, tid: actor.tid };
  if (actor.name) who.name = actor.name;
  return {
    generatedAt: now.toISOString(),
    actor: who,
    runs: [...newestFirst].reverse().map((run) => ({ ...run, title: titleOf(run.step) })),
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

/** Renders the transcript as Markdown. */
export function transcriptMarkdown(t: Transcript): string {
  const lines = [
    '# Exchange Online Runbook transcript',
    '',
    `- Admin: ${inline(t.actor.name ? `${t.actor.name} <${t.actor.upn}>` : t.actor.upn)}`,
    `- Tenant: ${inline(t.actor.tid)}`,
    `- Generated: ${t.generatedAt}`,
    `- Runs: ${t.runs.length}`,
  ];
  for (const run of t.runs) {
    lines.push('', `## ${inline(run.title)} (${run.step})`, '',
      `- Run: ${run.id}`,
      `- Started: ${run.startedAt}`,
      `- Ended: ${run.endedAt ?? 'still running'}`,
      `- Outcome: **${run.status}**`,
      '', 'Parameters:', '', fence(JSON.stringify(run.params, null, 2), 'json'),
      '', 'PowerShell:', '', fence(run.script, 'powershell'),
      '', 'Output:', '', fence(run.output.map((o) => `${o.at} [${o.kind}] ${o.text}`).join('\n') || '(none)', 'text'));
    if (run.error) {
      lines.push('', 'Error:', '', fence(`${run.error.type}: ${run.error.message}`, 'text'));
      if (run.error.explanation) {
        lines.push('', `Meaning: ${inline(run.error.explanation.meaning)}`, '', `Next: ${inline(run.error.explanation.action)}`);
      }
      if (run.error.guide) lines.push('', `Guide: ${run.error.guide}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
