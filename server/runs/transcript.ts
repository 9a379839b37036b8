/**
 * The caller's transcript, an audit record: who ran what, in which tenant (name and id), on what (the sandbox's
 * simulated tenant or Exchange Online), when, with which parameters, the exact PowerShell, what ran and what Exchange
 * (or the sandbox) answered, kept apart from the runbook's own notes, and the outcome; links are absolute, so the file
 * reads the same outside the site. As JSON for tools and as Markdown for a change record. In the Markdown, values sit
 * inside code fences longer than any backtick run they contain, or inline with Markdown syntax escaped; either way no
 * line break of any kind survives inside a value, so no name, parameter or output line can give the record structure
 * (a heading, a list item, a forged output line). The PowerShell is shown exactly, inside its fence.
 */
import type { RunError, RunRecord } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { ResultTable, StepOutput } from '../../src/runbook/core/step.ts';
import { formatTable } from '../../src/runbook/core/table.ts';

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

/** What the transcript says before its runs. */
export interface TranscriptHead {
  generatedAt: string;
  actor: { upn: string; tid: string; name?: string };
  tenant: { id: string; name: string };
  /** `sandbox`: nothing reached Exchange Online; the answers are the sandbox's. */
  ranOn: { mode: 'sandbox' | 'tenant'; executor: 'sandbox' | 'powershell'; description: string };
  /** How many runs follow. */
  runs: number;
}

/** One run as the transcript shows it: the record, the step's title, its card (`stepUrl`), `error.guide` absolute. */
export type TranscriptRun = RunRecord & { title: string; stepUrl: string };

/** What ran the cmdlets, in words. */
function ranOn(setting: TranscriptSetting): string {
  if (setting.mode === 'tenant')
    return 'Exchange Online, through PowerShell (ExchangeOnlineManagement), as the admin above';
  return setting.executor === 'powershell'
    ? "the sandbox, through PowerShell: a rehearsal, every cmdlet answered by the sandbox's simulated tenant; nothing reached Exchange Online"
    : "the sandbox: a simulated tenant on the companion's machine; nothing reached Exchange Online";
}

/** The head for `actor`'s transcript of `runs` runs. */
export function transcriptHead(actor: Actor, runs: number, setting: TranscriptSetting, now: Date): TranscriptHead {
  const who: TranscriptHead['actor'] = { upn: actor.upn, tid: actor.tid };
  if (actor.name) who.name = actor.name;
  return {
    generatedAt: now.toISOString(),
    actor: who,
    tenant: setting.tenant,
    ranOn: { mode: setting.mode, executor: setting.executor, description: ranOn(setting) },
    runs,
  };
}

// Characters a URL may keep that Markdown would read as syntax (a link's end, emphasis, a table cell).
const MARKDOWN_IN_URL = /[\\`*_[\]<>|~!()]/g;

/** `path` made absolute on the site's origin, written so Markdown reads it as one URL (no line break survives). */
function absolute(path: string, origin: string): string {
  let href: string;
  try {
    href = new URL(path, origin).href;
  } catch {
    href = new URL(encodeURIComponent(path), origin).href;
  }
  return href.replace(MARKDOWN_IN_URL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The card of step `id` (absolute). */
function cardUrl(setting: TranscriptSetting, id: string): string {
  const step = setting.steps.find((s) => s.id === id);
  return absolute(`${step?.guide.split('#')[0] ?? '/'}#run-${id}`, setting.origin);
}

/** `run` as the transcript shows it: titled, its card linked, its error's guide absolute. */
export function transcriptRun(run: RunRecord, setting: TranscriptSetting): TranscriptRun {
  const title = setting.steps.find((s) => s.id === run.step)?.title ?? run.step;
  const error = run.error && {
    ...run.error,
    ...(run.error.guide ? { guide: absolute(run.error.guide, setting.origin) } : {}),
  };
  return { ...run, ...(error ? { error } : {}), title, stepUrl: cardUrl(setting, run.step) };
}

/**
 * The transcript in pieces, to be written one after another: the head, one piece per run (oldest first, as a change
 * record reads), and the end. As JSON, the pieces make `{generatedAt, actor, tenant, ranOn, runs: [...]}`. Nothing but
 * the run being rendered is held, however long the transcript.
 */
export async function* transcriptPieces(
  format: 'md' | 'json',
  head: TranscriptHead,
  runs: AsyncIterable<TranscriptRun>,
  setting: TranscriptSetting,
): AsyncGenerator<string> {
  if (format === 'json') {
    const { runs: _runs, ...rest } = head; // the runs are written after the head, one by one
    yield `${JSON.stringify(rest).slice(0, -1)},"runs":[`;
    let first = true;
    for await (const run of runs) {
      yield `${first ? '' : ','}${JSON.stringify(run)}`;
      first = false;
    }
    yield ']}';
    return;
  }
  // Quoted step titles in the runbook's notes link to their cards (keys as `inline` writes the titles).
  const cards = new Map(setting.steps.map((step) => [inline(step.title), cardUrl(setting, step.id)]));
  yield `${markdownHead(head).join('\n')}\n`;
  for await (const run of runs) yield `${['', ...markdownRun(run, head.ranOn.mode === 'sandbox', cards)].join('\n')}\n`;
}

/** A fenced block whose fence is longer than any run of backticks inside `text`. */
function fence(text: string, info = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}${info}\n${text}\n${marks}`;
}

// Line breaks of every kind an editor or viewer may honour (CR, LF, NEL, U+2028, U+2029), every other control
// character, and the bidirectional overrides that can make text read otherwise than it is stored.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
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

/** The table a result line carries (`data.table`), if it has a well-formed one. */
function tableOf(data: unknown): ResultTable | undefined {
  const table = (data as { table?: unknown } | null | undefined)?.table as Partial<ResultTable> | undefined;
  if (!table || !Array.isArray(table.columns) || !Array.isArray(table.rows)) return undefined;
  const cells = (row: unknown) =>
    Array.isArray(row) && row.every((c) => typeof c === 'string' || typeof c === 'boolean');
  if (
    !cells(table.columns) ||
    !table.rows.every(cells) ||
    (table.caption !== undefined && typeof table.caption !== 'string')
  )
    return undefined;
  return table as ResultTable;
}

/** `table` with every text cell (and the caption) on one line. */
function oneLineTable(table: ResultTable): ResultTable {
  return {
    ...(table.caption !== undefined ? { caption: oneLine(table.caption) } : {}),
    columns: table.columns.map(oneLine),
    rows: table.rows.map((row) => row.map((c) => (typeof c === 'string' ? oneLine(c) : c))),
  };
}

/** The Markdown lines before the runs. */
function markdownHead(t: TranscriptHead): string[] {
  return [
    '# Exchange Online Runbook transcript',
    '',
    `- Admin: ${inline(t.actor.name ? `${t.actor.name} <${t.actor.upn}>` : t.actor.upn)}`,
    `- Tenant: ${inline(t.tenant.name)} (${inline(t.tenant.id)})`,
    `- Ran on: ${inline(t.ranOn.description)}`,
    `- Generated: ${inline(t.generatedAt)}`,
    `- Runs: ${t.runs}`,
  ];
}

// Errors whose text the runbook or the companion wrote (a wait that ran out, a run cut off), not Exchange.
const OWN_ERROR = /^(?:Runbook\.|CompanionInterrupted$|CallInterrupted$)/;

// On the sandbox, whose words an error shows (the errors page marks the same).
const SANDBOX_SAID: Record<Exclude<RunError['wording'], 'runbook' | undefined> | 'none', string> = {
  exchange: "The sandbox said, in Exchange's words",
  generic: "The sandbox said, in Exchange's usual words (unconfirmed for this case)",
  powershell: "The sandbox said, in PowerShell's words",
  sandbox: 'The sandbox said, in its own words (what Exchange says here is unconfirmed)',
  none: 'The sandbox said',
};

// How the runbook's own output lines are introduced in the notes.
const NOTE: Partial<Record<StepOutput['kind'], string>> = {
  info: 'Why',
  wait: 'Waiting',
  result: 'Result',
  warning: 'Cut off',
};

/**
 * One run's Markdown lines; every value is escaped (`inline`, `oneLine`, `json`) or fenced. Exchange's words (what
 * ran, and its answers) in one block; the runbook's reading of them as notes below it, quoted step titles linked.
 */
function markdownRun(run: TranscriptRun, sandbox: boolean, cards: Map<string, string>): string[] {
  const answered = sandbox ? 'The sandbox answered' : 'Exchange answered';
  /** Inline text with every quoted step title linked to its card. */
  const prose = (text: string) =>
    inline(text).replace(/“([^”]+)”/g, (whole, title: string) =>
      cards.has(title) ? `“[${title}](${cards.get(title)})”` : whole,
    );
  const said = run.output.filter((o) => o.kind === 'command' || o.kind === 'error');
  const notes = run.output.filter((o) => o.kind !== 'command' && o.kind !== 'error');
  const lines = [
    `## ${inline(run.title)}`,
    '',
    `- Step: [${inline(run.title)}](${run.stepUrl})`,
    `- Run: ${inline(run.id)}`,
    `- Started: ${inline(run.startedAt)}`,
    `- Ended: ${inline(run.endedAt ?? 'still running')}`,
    `- Outcome: **${inline(run.status)}**`,
    '',
    'Parameters:',
    '',
    fence(json(run.params), 'json'),
    '',
    'PowerShell:',
    '',
    fence(run.script, 'powershell'),
    '',
    `What ran, and what ${sandbox ? 'the sandbox' : 'Exchange'} answered:`,
    '',
    fence(
      said.map((o) => oneLine(`${o.at} ${o.kind === 'command' ? 'PS>' : `${answered}:`} ${o.text}`)).join('\n') ||
        '(nothing ran)',
      'text',
    ),
  ];
  if (notes.length) {
    lines.push('', "The runbook's notes:", '');
    for (const note of notes) {
      // A note is one list item; a result table's caption is the item and its rows a block indented under it, laid out
      // again from the table's cells (each kept to its line), so no value's line break can add a line.
      const table = tableOf(note.data);
      const [first, ...more] = table ? formatTable(oneLineTable(table)).split('\n') : [note.text];
      lines.push(`- ${inline(note.at)} ${NOTE[note.kind] ?? note.kind}: ${prose(first!)}`);
      if (more.length) lines.push('', fence(more.join('\n'), 'text').replace(/^/gm, '  '), '');
    }
  }
  if (run.error) {
    const { wording = 'none' } = run.error;
    const by =
      wording === 'runbook' || OWN_ERROR.test(run.error.type)
        ? 'The runbook found'
        : !sandbox
          ? 'Exchange said'
          : SANDBOX_SAID[wording];
    lines.push('', `${by}:`, '', fence(oneLine(`${run.error.type}: ${run.error.message}`), 'text'));
    if (run.error.explanation) {
      lines.push(
        '',
        `Meaning: ${prose(run.error.explanation.meaning)}`,
        '',
        `Next: ${prose(run.error.explanation.action)}`,
      );
    }
    if (run.error.guide) lines.push('', `Guide: ${oneLine(run.error.guide)}`);
  }
  return lines;
}
