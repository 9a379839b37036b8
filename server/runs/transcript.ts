/**
 * The caller's transcript: who ran what, in which tenant, when, with which parameters, the exact PowerShell, the
 * output and the outcome; as JSON for tools and as Markdown for a change record. In the Markdown, values sit inside
 * code fences longer than any backtick run they contain, or inline with Markdown syntax escaped; either way no line
 * break of any kind survives inside a value, so no name, parameter or output line can give the record structure
 * (a heading, a list item, a forged output line). The PowerShell is shown exactly, inside its fence.
 */
import type { RunRecord } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';

/** What the transcript says before its runs. */
export interface TranscriptHead {
  generatedAt: string;
  actor: { upn: string; tid: string; name?: string };
  /** How many runs follow. */
  runs: number;
}

/** One run as the transcript shows it: the record and the step's title. */
export type TranscriptRun = RunRecord & { title: string };

/** The head for `actor`'s transcript of `runs` runs. */
export function transcriptHead(actor: Actor, runs: number, now: Date): TranscriptHead {
  const who: TranscriptHead['actor'] = { upn: actor.upn, tid: actor.tid };
  if (actor.name) who.name = actor.name;
  return { generatedAt: now.toISOString(), actor: who, runs };
}

/**
 * The transcript in pieces, to be written one after another: the head, one piece per run (oldest first, as a change
 * record reads), and the end. As JSON, the pieces make `{generatedAt, actor, runs: [...]}`. Nothing but the run being
 * rendered is held, however long the transcript.
 */
export async function* transcriptPieces(
  format: 'md' | 'json',
  head: TranscriptHead,
  runs: AsyncIterable<TranscriptRun>,
): AsyncGenerator<string> {
  if (format === 'json') {
    yield `{"generatedAt":${JSON.stringify(head.generatedAt)},"actor":${JSON.stringify(head.actor)},"runs":[`;
    let first = true;
    for await (const run of runs) {
      yield `${first ? '' : ','}${JSON.stringify(run)}`;
      first = false;
    }
    yield ']}';
    return;
  }
  yield `${markdownHead(head).join('\n')}\n`;
  for await (const run of runs) yield `${['', ...markdownRun(run)].join('\n')}\n`;
}

/** A fenced block whose fence is longer than any run of backticks inside `text`. */
function fence(text: string, info = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}${info}\n${text}\n${marks}`;
}

// Line breaks of every kind an editor or viewer may honour (CR, LF, NEL, U+2028, U+2029), every other control
// character, and the bidirectional overrides that can make text read otherwise than it is stored.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
// What JSON.stringify leaves raw of the above (it escapes C0 controls itself).
const RAW_IN_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// Characters that can start Markdown or HTML inline syntax (emphasis, code, links, images, autolinks, tables,
// strikethrough, entities, headings).
const MARKDOWN_SYNTAX = /[\\`*_[\]<>|~!&#]/g;

/** `\uXXXX` for one UTF-16 code unit. */
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One value on one line: every line break or control character shown as an escape (`\r`, `\n`, `\u2028`). */
function oneLine(text: string): string {
  return text.replace(INVISIBLE, (c) => NAMED[c] ?? unicodeEscape(c));
}

/** Inline text for a Markdown line: no line break, and no character that could start Markdown syntax. */
function inline(text: string): string {
  return oneLine(text.replace(MARKDOWN_SYNTAX, '\\$&'));
}

/** Pretty JSON whose strings cannot break a line anywhere either (the escapes JSON.stringify omits, added). */
function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, unicodeEscape);
}

/** The Markdown lines before the runs. */
function markdownHead(t: TranscriptHead): string[] {
  return [
    '# Exchange Online Runbook transcript',
    '',
    `- Admin: ${inline(t.actor.name ? `${t.actor.name} <${t.actor.upn}>` : t.actor.upn)}`,
    `- Tenant: ${inline(t.actor.tid)}`,
    `- Generated: ${inline(t.generatedAt)}`,
    `- Runs: ${t.runs}`,
  ];
}

/** One run's Markdown lines; every value is escaped (`inline`, `oneLine`, `json`) or fenced. */
function markdownRun(run: TranscriptRun): string[] {
  const lines = [`## ${inline(run.title)} (${inline(run.step)})`, '',
    `- Run: ${inline(run.id)}`,
    `- Started: ${inline(run.startedAt)}`,
    `- Ended: ${inline(run.endedAt ?? 'still running')}`,
    `- Outcome: **${inline(run.status)}**`,
    '', 'Parameters:', '', fence(json(run.params), 'json'),
    '', 'PowerShell:', '', fence(run.script, 'powershell'),
    '', 'Output:', '', fence(run.output.map((o) => oneLine(`${o.at} [${o.kind}] ${o.text}`)).join('\n') || '(none)', 'text')];
  if (run.error) {
    lines.push('', 'Error:', '', fence(oneLine(`${run.error.type}: ${run.error.message}`), 'text'));
    if (run.error.explanation) {
      lines.push('', `Meaning: ${inline(run.error.explanation.meaning)}`, '', `Next: ${inline(run.error.explanation.action)}`);
    }
    if (run.error.guide) lines.push('', `Guide: ${inline(run.error.guide)}`);
  }
  return lines;
}
