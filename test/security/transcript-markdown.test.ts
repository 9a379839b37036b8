/**
 * The Markdown transcript cannot be given structure by a value: a display name (tenant mode: the token's `name`),
 * parameters, output lines and error texts carrying CR, LF, CRLF, NEL, U+2028, U+2029, other controls, bidirectional
 * overrides or Markdown syntax stay inside their line or block. Before this, a lone CR in the admin's display name
 * started a new Markdown line in the transcript's header (a heading, a list item). The JSON transcript keeps every
 * value exactly.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ALICE, startTenantServer, type TenantServer } from '../support/tenant-server.ts';
import { CONTOSO_TID } from '../support/server.ts';

/** Every kind of line break a Markdown editor or viewer may honour. */
const BREAKS = /\r\n|\r|\n|\u0085|\u2028|\u2029/;
const HOSTILE =
  'A\r# CR heading\n## LF heading\r\n- CRLF item\u0085> NEL quote\u2028### LS heading\u2029#### PS heading' +
  '\u000b\u000c\u001b[31m \u202eevil\u202c [link](https://evil.example) ![img](https://evil.example/x.png) <img src=x onerror=alert(1)> ' +
  '**bold** _em_ `code` | table | ~~strike~~ &amp; \\';

let server: TenantServer;
let md: string;
let transcript: {
  actor: { name: string };
  runs: Array<{ params: Record<string, unknown>; output: Array<{ text: string }>; error: { message: string } }>;
};
before(async () => {
  server = await startTenantServer();
  const token = await server.apiToken({ name: HOSTILE });
  // One recorded run whose parameters, output and error carry the same text, as Exchange or a tenant could return it.
  const actor = { tid: CONTOSO_TID, oid: ALICE.oid, upn: ALICE.upn };
  const { store } = server.companion;
  const id = crypto.randomUUID();
  const at = '2026-12-01T00:00:00.000Z';
  await store.insertRun({
    id,
    step: 'create-service-principal',
    params: { displayName: HOSTILE },
    script: "New-ServicePrincipal -DisplayName 'x'",
    actor,
    startedAt: at,
  });
  await store.appendOutput(id, 1, { at, kind: 'command', text: "New-ServicePrincipal -DisplayName 'x'" });
  await store.appendOutput(id, 2, {
    at,
    kind: 'result',
    text: `Registered "${HOSTILE}"\n${at} [result] a forged output line`,
  });
  await store.finishRun(id, 'failed', at, {
    message: `${HOSTILE}\rSystem.Forged: second error`,
    type: 'System.InvalidOperationException',
    guide: '/guides/x/#a\r# guide heading',
  });
  const reply = await server.request('/api/transcript?format=md', { token });
  assert.equal(reply.status, 200, reply.text);
  md = reply.text;
  transcript = (await server.request('/api/transcript?format=json', { token })).json;
});
after(() => server.close());

test('no line break of any kind survives inside a value: every line of the transcript is a line the transcript made', () => {
  assert.deepEqual(md.split(BREAKS), md.split('\n'), "only the transcript's own LF line ends");
  assert.doesNotMatch(
    md,
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
    'no control character or bidirectional override',
  );
});

test("the only headings are the transcript's own", () => {
  const headings = md.split('\n').filter((line) => /^\s{0,3}#/.test(line));
  assert.equal(headings.length, 2, headings.join(' | '));
  assert.equal(headings[0], '# Exchange Online Runbook transcript');
  assert.equal(headings[1], '## Register the application in Exchange');
  assert.deepEqual(
    md
      .split('\n')
      .filter((line) => /^\s{0,3}(>|[-+*] )/.test(line))
      .map((line) => line.split(': ')[0]),
    [
      '- Admin',
      '- Tenant',
      '- Ran on',
      '- Generated',
      '- Runs',
      '- Step',
      '- Run',
      '- Started',
      '- Ended',
      '- Outcome',
      '- 2026-12-01T00:00:00.000Z Result',
    ],
    "no quote or list item but the transcript's (the one note is the runbook's)",
  );
});

test('the admin line shows the name with its breaks and Markdown syntax escaped', () => {
  const admin = md.split('\n').find((line) => line.startsWith('- Admin: '))!;
  assert.ok(
    admin.startsWith(
      '- Admin: A\\r\\# CR heading\\n\\#\\# LF heading\\r\\n- CRLF item\\u0085\\> NEL quote\\u2028\\#\\#\\# LS heading',
    ),
    admin,
  );
  // Each syntax character is preceded by a backslash.
  for (const raw of [
    /(?<!\\)\[link/,
    /(?<!\\)!\[img/,
    /(?<!\\)<img/,
    /(?<!\\)\*\*bold/,
    /(?<!\\)_em/,
    /(?<!\\)`code/,
    /(?<!\\)\| table/,
    /(?<!\\)~~strike/,
    /(?<!\\)&amp;/,
  ]) {
    assert.doesNotMatch(admin, raw, `escaped: ${admin}`);
  }
  assert.ok(
    admin.includes('\\[link\\](https://evil.example)') &&
      admin.includes('\\<img src=x onerror=alert(1)\\>') &&
      admin.includes('\\u202eevil\\u202c'),
    admin,
  );
});

test('each output entry is one line, and the error and guide cannot add lines either', () => {
  // What ran and what Exchange answered: one line per entry in its fence.
  const said = md.slice(md.indexOf('What ran, and what Exchange answered:'));
  const saidLines = said.split('\n').slice(3, said.split('\n').indexOf('```', 3));
  assert.deepEqual(saidLines, ["2026-12-01T00:00:00.000Z PS> New-ServicePrincipal -DisplayName 'x'"]);
  // The runbook's note is one list item, whatever line breaks its text carries.
  const note = md.split('\n').filter((line) => line.includes('a forged output line'));
  assert.equal(note.length, 1, note.join(' | '));
  assert.match(
    note[0]!,
    /^- 2026-12-01T00:00:00\.000Z Result: Registered "A\\r\\# CR heading\\n\\#\\# LF heading\\r\\n- CRLF item.*\\u2029\\#\\#\\#\\# PS heading.*"\\n2026-12-01T00:00:00\.000Z \\\[result\\\] a forged output line$/,
  );
  assert.match(md, /^System\.InvalidOperationException: A\\r# CR heading.*\\rSystem\.Forged: second error$/m);
  // The guide link is made absolute; the URL parser drops the CR and percent-encodes the rest.
  assert.match(md, /^Guide: http:\/\/[^\s]+\/guides\/x\/#a#%20guide%20heading$/m);
  assert.match(
    md,
    /"displayName": "A\\r# CR heading\\n## LF heading\\r\\n- CRLF item\\u0085> NEL quote\\u2028### LS heading\\u2029/,
  );
});

test('the JSON transcript keeps every value exactly', () => {
  assert.equal(transcript.actor.name, HOSTILE);
  assert.equal(transcript.runs[0]!.params.displayName, HOSTILE);
  assert.ok(transcript.runs[0]!.output[1]!.text.startsWith(`Registered "${HOSTILE}"\n`));
  assert.ok(transcript.runs[0]!.error.message.startsWith(HOSTILE));
});
