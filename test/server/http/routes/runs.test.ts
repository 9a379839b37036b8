/**
 * Runs over HTTP: 202 and the record, one run in flight per admin (409), isolation between admins (404), the SSE
 * stream (replayed and live output, status, end; a finished run ends at once), listing, transcripts, and a role
 * group name full of PowerShell metacharacters travelling verbatim to the simulator and back.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { RunRecord } from '../../../../src/runbook/api.ts';
import { STEP_IDS } from '../../../../src/runbook/catalog.ts';
import { FakeClock } from '../../../support/clock.ts';
import {
  CONTOSO_ADMIN,
  CONTOSO_TID,
  eventually,
  FABRIKAM_ADMIN,
  FABRIKAM_TID,
  gated,
  readEvents,
  startServer,
  type TestServer,
} from '../../../support/server.ts';

const NASTY_NAME = `O'Br"ien $(rm C:\\) \`\`\`id\` ; x #next \u2019 $env:P`;

describe('runs', () => {
  let server: TestServer;
  let gate: ReturnType<typeof gated>;
  let contoso: string;
  let fabrikam: string;

  before(async () => {
    server = await startServer({
      executor: (configured) => (gate = gated(configured)).executor,
    });
    contoso = (await server.signIn(CONTOSO_ADMIN)).accessToken;
    fabrikam = (await server.signIn(FABRIKAM_ADMIN)).accessToken;
  });
  after(() => server.close(true));

  /** Starts a run and returns its id. */
  const start = async (token: string, step: string, params?: unknown) => {
    const reply = await server.request('/api/runs', {
      method: 'POST',
      token,
      body: params === undefined ? { step } : { step, params },
    });
    assert.equal(reply.status, 202, reply.text);
    assert.equal(reply.json.status, 'running');
    assert.equal(reply.headers.location, `/api/runs/${reply.json.id}`);
    return reply.json.id as string;
  };
  /** Waits for the run to end and returns its record. */
  const finished = (token: string, id: string) =>
    eventually(async () => {
      const run = (await server.request(`/api/runs/${id}`, { token })).json as RunRecord;
      return run.status === 'running' ? undefined : run;
    });

  test('a run is accepted (202), runs in the background and is recorded with its script and output', async () => {
    const id = await start(fabrikam, 'check-dehydrated');
    const run = await finished(fabrikam, id);
    assert.equal(run.step, 'check-dehydrated');
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(run.actor, { upn: FABRIKAM_ADMIN, tid: FABRIKAM_TID });
    assert.equal(run.script, 'Get-OrganizationConfig | Format-List IsDehydrated');
    assert.ok(
      run.output.some((o) => o.kind === 'command' && o.text === 'Get-OrganizationConfig | Format-List IsDehydrated'),
      JSON.stringify(run.output),
    );
    assert.ok(run.endedAt && run.endedAt >= run.startedAt);
  });

  test('409 for a second run while the first is in flight; accepted again once it ends', async () => {
    gate.hold();
    const first = await start(contoso, 'check-impersonation-role');
    const second = await server.request('/api/runs', {
      method: 'POST',
      token: contoso,
      body: { step: 'check-dehydrated' },
    });
    assert.equal(second.status, 409, second.text);
    assert.equal(second.json.error.code, 'run_in_flight');
    assert.equal(
      (await server.request('/api/sandbox/reset', { method: 'POST', token: contoso })).status,
      409,
      'no reset mid-run',
    );
    const other = await start(fabrikam, 'check-dehydrated');
    gate.release();
    await finished(contoso, first);
    await finished(fabrikam, other);
    await finished(contoso, await start(contoso, 'check-impersonation-role'));
  });

  test("an admin never sees another admin's runs: 404 on the record and its events, absent from lists", async () => {
    const id = await start(fabrikam, 'check-impersonation-role');
    await finished(fabrikam, id);
    const record = await server.request(`/api/runs/${id}`, { token: contoso });
    assert.equal(record.status, 404);
    assert.equal(record.json.error.code, 'unknown_run');
    assert.equal((await server.request(`/api/runs/${id}/events`, { token: contoso })).status, 404);
    const mine = (await server.request('/api/runs', { token: contoso })).json as RunRecord[];
    assert.ok(mine.length > 0 && mine.every((r) => r.actor.upn === CONTOSO_ADMIN));
    const transcript = (await server.request('/api/transcript?format=json', { token: contoso })).json;
    assert.ok(transcript.runs.every((r: RunRecord) => r.id !== id));
  });

  test("GET /api/runs lists the caller's runs newest first, with a limit", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await start(fabrikam, 'check-dehydrated'));
      await finished(fabrikam, ids.at(-1)!);
    }
    const all = (await server.request('/api/runs', { token: fabrikam })).json as RunRecord[];
    assert.deepEqual(
      all.slice(0, 3).map((r) => r.id),
      ids.reverse(),
    );
    const runs = (await server.request('/api/runs?limit=2', { token: fabrikam })).json as RunRecord[];
    assert.deepEqual(runs, all.slice(0, 2));
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i - 1]!.startedAt >= runs[i]!.startedAt);
  });

  // Contoso is still dehydrated here: New-RoleGroup is refused (three lines), then the IsDehydrated check is held.
  const refusedGroup = { name: 'SSE group', members: ['svc-ews@contoso.onmicrosoft.com'] };

  test('SSE streams a live run: output as it happens, then status and the final record, then closes', async () => {
    gate.hold(1);
    const id = await start(contoso, 'create-role-group', refusedGroup);
    await eventually(() => (gate.waiting() > 0 ? true : undefined));
    const reading = readEvents(server.port, `/api/runs/${id}/events`, contoso);
    await new Promise((r) => setTimeout(r, 450));
    gate.release();
    const { status, headers, events, comments } = await reading;
    assert.equal(status, 200);
    assert.match(String(headers['content-type']), /^text\/event-stream/);
    assert.ok(comments >= 1, 'heartbeat comments while idle');
    const kinds = events.map((e) => e.event);
    assert.equal(kinds[0], 'output', 'the line emitted before connecting is replayed');
    assert.deepEqual(kinds.slice(-2), ['status', 'end']);
    const end = events.at(-1)!.data as RunRecord;
    assert.equal(end.id, id);
    assert.equal(events.at(-2)!.data.status, end.status);
    const streamed = events.filter((e) => e.event === 'output').map((e) => e.data.text);
    assert.deepEqual(
      streamed,
      end.output.map((o) => o.text),
      'every stored line was streamed, in order',
    );
    assert.deepEqual(
      events.filter((e) => e.event === 'output').map((e) => Number(e.id)),
      end.output.map((_, i) => i + 1),
    );
  });

  test('SSE resumes after Last-Event-ID without repeating lines', async () => {
    gate.hold(1);
    const id = await start(contoso, 'create-role-group', refusedGroup);
    await eventually(() => (gate.waiting() > 0 ? true : undefined));
    const reading = readEvents(server.port, `/api/runs/${id}/events`, contoso, { 'last-event-id': '1' });
    await new Promise((r) => setTimeout(r, 50));
    gate.release();
    const { events } = await reading;
    const ids = events.filter((e) => e.event === 'output').map((e) => Number(e.id));
    assert.ok(ids.length > 0 && ids.every((n) => n > 1), `ids ${ids.join(',')} in ${JSON.stringify(events)}`);
  });

  test('SSE abuse: at most 8 open streams per admin, the ninth gets 429; closing one frees a slot', async () => {
    gate.hold();
    const id = await start(fabrikam, 'check-dehydrated');
    /** Opens the event stream and resolves with its status once the headers arrive (the stream stays open). */
    const openStream = () =>
      new Promise<{ status: number; close(): void }>((resolve, reject) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/api/runs/${id}/events`,
            headers: { authorization: `Bearer ${fabrikam}` },
          },
          (res) => resolve({ status: res.statusCode!, close: () => req.destroy() }),
        );
        req.on('error', reject);
      });
    const streams = [];
    for (let i = 0; i < 8; i++) streams.push(await openStream());
    assert.deepEqual(
      streams.map((s) => s.status),
      Array(8).fill(200),
    );
    const ninth = await server.request(`/api/runs/${id}/events`, { token: fabrikam });
    assert.equal(ninth.status, 429, ninth.text);
    assert.ok(ninth.headers['retry-after']);
    streams.shift()!.close();
    const again = await eventually(async () => {
      const s = await openStream();
      if (s.status === 200) return s;
      s.close();
      return undefined;
    });
    for (const s of [...streams, again]) s.close();
    gate.release();
    await finished(fabrikam, id);
  });

  test('SSE on a finished run sends end at once and closes', async () => {
    const id = await start(fabrikam, 'check-dehydrated');
    const run = await finished(fabrikam, id);
    const { events } = await readEvents(server.port, `/api/runs/${id}/events`, fabrikam, {}, 2_000);
    assert.deepEqual(
      events.map((e) => e.event),
      ['end'],
    );
    assert.deepEqual(events[0]!.data, run);
  });

  test('a role group name full of PowerShell metacharacters reaches the simulator verbatim and comes back in the record', async () => {
    const members = ['svc-ews@contoso.onmicrosoft.com'];
    assert.equal((await finished(contoso, await start(contoso, 'enable-customization'))).status, 'succeeded');
    assert.equal((await finished(contoso, await start(contoso, 'check-dehydrated'))).status, 'succeeded');
    const create = await finished(contoso, await start(contoso, 'create-role-group', { name: NASTY_NAME, members }));
    assert.equal(create.status, 'succeeded', JSON.stringify(create.error));
    assert.equal(create.params.name, NASTY_NAME);
    const stored = async () =>
      JSON.parse((await server.companion.store.loadSandboxState(CONTOSO_TID))!).roleGroups.map(
        (g: { name: string }) => g.name,
      );
    assert.ok((await stored()).includes(NASTY_NAME), 'the simulator holds exactly the name sent');
    assert.equal(
      create.script,
      `New-RoleGroup -Name 'O''Br"ien $(rm C:\\) \`\`\`id\` ; x #next \u2019\u2019 $env:P' -Roles 'ApplicationImpersonation' -Members 'svc-ews@contoso.onmicrosoft.com'`,
    );
    const probe = await server.request('/api/steps/create-role-group/probe', {
      method: 'POST',
      token: contoso,
      body: { params: { name: NASTY_NAME, members } },
    });
    assert.equal(probe.json.state, 'done', probe.text);
    const remove = await finished(contoso, await start(contoso, 'remove-role-group', { name: NASTY_NAME }));
    assert.equal(remove.status, 'succeeded', JSON.stringify(remove.error));
    assert.equal(remove.params.name, NASTY_NAME);
    assert.ok(!(await stored()).includes(NASTY_NAME));
    const json = (await server.request('/api/transcript?format=json', { token: contoso })).json;
    assert.ok(
      json.runs.some((r: RunRecord) => r.params.name === NASTY_NAME),
      'the transcript keeps the exact value',
    );
    const md = (await server.request('/api/transcript?format=md', { token: contoso })).text;
    assert.ok(
      md.includes(JSON.stringify(NASTY_NAME, null, 2).slice(1, -1)) ||
        md.includes(JSON.stringify(NASTY_NAME).slice(1, -1)),
    );
    assert.match(md, /^````+json$/m, 'a fence longer than the backticks inside the value');
  });

  test('the transcript names who, tenant, when, step, parameters, PowerShell, output and outcome', async () => {
    const json = (await server.request('/api/transcript?format=json', { token: fabrikam })).json;
    assert.equal(json.actor.upn, FABRIKAM_ADMIN);
    assert.equal(json.actor.tid, FABRIKAM_TID);
    const runs = json.runs as Array<RunRecord & { title: string }>;
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i - 1]!.startedAt <= runs[i]!.startedAt, 'oldest first');
    const check = runs.find((r) => r.step === 'check-impersonation-role')!;
    assert.ok(check.title.length > 0 && check.script.includes('Get-ManagementRole'));
    const reply = await server.request('/api/transcript', { token: fabrikam });
    assert.match(String(reply.headers['content-type']), /^text\/markdown/);
    const md = reply.text;
    assert.ok(md.includes(`Admin: ${FABRIKAM_ADMIN}`) || md.includes(FABRIKAM_ADMIN));
    assert.ok(md.includes(`Tenant: fabrikam (${FABRIKAM_TID})`), 'the tenant by name, beside its id');
    assert.match(md, /^- Ran on: the sandbox: a simulated tenant .*nothing reached Exchange Online$/m);
    assert.deepEqual([json.tenant, json.ranOn.mode], [{ id: FABRIKAM_TID, name: 'fabrikam' }, 'sandbox']);
    assert.ok(md.includes(`## ${check.title}\n`));
    assert.ok(!md.includes('(check-impersonation-role)'), 'steps by title, not by internal id');
    assert.ok(
      md.includes(
        `- Step: [${check.title}](${server.origin}/guides/application-impersonation/#run-check-impersonation-role)`,
      ),
      'an absolute link to the step',
    );
    assert.ok(md.includes(check.script));
    assert.ok(md.includes(`Started: ${check.startedAt}`));
    assert.ok(md.includes(`Outcome: **${check.status}**`));
    assert.ok(md.includes(`${check.output[0]!.at} PS> ${check.output[0]!.text}`));
  });

  test("the transcript keeps Exchange's words apart from the runbook's notes, with absolute guide links", async () => {
    assert.equal(
      (await server.request('/api/sandbox/reset', { method: 'POST', token: contoso })).status,
      200,
      'contoso dehydrated again',
    );
    const run = await finished(
      contoso,
      await start(contoso, 'create-role-group', {
        name: 'Transcript group',
        members: ['svc-ews@contoso.onmicrosoft.com'],
      }),
    );
    const json = (await server.request('/api/transcript?format=json', { token: contoso })).json as {
      runs: RunRecord[];
    };
    const record = json.runs.find((r) => r.id === run.id)!;
    assert.equal(
      record.error?.guide,
      `${server.origin}/guides/application-impersonation/#error-the-command-isnt-currently-allowed`,
    );
    const md = (await server.request('/api/transcript', { token: contoso })).text;
    const section = md.slice(md.indexOf(`- Run: ${run.id}`));
    const said = section.slice(
      section.indexOf('What ran, and what the sandbox answered:'),
      section.indexOf("The runbook's notes:"),
    );
    assert.match(said, /PS> New-RoleGroup -Name 'Transcript group'/);
    assert.match(
      said,
      /The sandbox answered: The command you tried to run isn't currently allowed in your organization\./,
    );
    assert.doesNotMatch(said, /Reading IsDehydrated/, "the runbook's commentary is not in Exchange's block");
    const notes = section.slice(section.indexOf("The runbook's notes:"), section.indexOf('The sandbox said'));
    assert.match(notes, /^- \S+ Why: Reading IsDehydrated, to tell/m);
    assert.match(
      section,
      /^The sandbox said, in Exchange's words:$/m,
      "the sandbox's answer is not passed off as Exchange's",
    );
    assert.doesNotMatch(section, /Exchange said/);
    assert.match(
      section,
      new RegExp(
        `Next: Run “\\[Enable organization customization\\]\\(${server.origin.replaceAll('.', '\\.')}/guides/application-impersonation/#run-enable-customization\\)”`,
      ),
    );
    assert.ok(
      section.includes(
        `Guide: ${server.origin}/guides/application-impersonation/#error-the-command-isnt-currently-allowed`,
      ),
    );
  });

  test('preview renders the PowerShell for the given parameters; probe answers state and reason', async () => {
    const preview = await server.request('/api/steps/create-role-group/preview', {
      method: 'POST',
      token: contoso,
      body: { params: { name: "O'Brien", members: ['svc-ews@contoso.onmicrosoft.com'] } },
    });
    assert.equal(preview.status, 200, preview.text);
    assert.match(preview.json.script, /New-RoleGroup -Name 'O''Brien'/);
    const probe = await server.request('/api/steps/check-impersonation-role/probe', {
      method: 'POST',
      token: fabrikam,
      body: {},
    });
    assert.equal(probe.json.state, 'blocked');
    assert.ok(probe.json.reason.length > 0);
    const steps = (await server.request('/api/steps', { token: contoso })).json;
    assert.deepEqual(steps.map((s: { id: string }) => s.id).sort(), [...STEP_IDS].sort());
    assert.equal(steps.find((s: { id: string }) => s.id === 'enable-customization').irreversible, true);
  });

  test("session warm answers ready; sandbox reset restores only the caller's tenant", async () => {
    const warm = await server.request('/api/session/warm', { method: 'POST', token: contoso });
    assert.deepEqual(warm.json, { status: 'ready', executor: 'sandbox' });
    const reset = await server.request('/api/sandbox/reset', { method: 'POST', token: fabrikam });
    assert.deepEqual(reset.json, { status: 'reset', tid: FABRIKAM_TID });
    assert.equal(
      (
        await server.request('/api/sandbox/reset', {
          method: 'POST',
          token: fabrikam,
          body: { tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001' },
        })
      ).status,
      400,
    );
  });
});

describe('stopping a wait', () => {
  let server: TestServer;
  let contoso: string;
  let fabrikam: string;

  before(async () => {
    // Sleeps last until the run is stopped, so the test can act in the middle of a wait.
    const sleep = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }),
      );
    server = await startServer({ clock: { now: Date.now, sleep } });
    contoso = (await server.signIn(CONTOSO_ADMIN)).accessToken;
    fabrikam = (await server.signIn(FABRIKAM_ADMIN)).accessToken;
  });
  after(() => server.close(true));

  test("POST /api/runs/:id/stop ends the wait at once as stopped, only for the run's own admin, and frees the admin for the next run", async () => {
    const started = await server.request('/api/runs', {
      method: 'POST',
      token: contoso,
      body: { step: 'check-dehydrated' },
    });
    assert.equal(started.status, 202, started.text);
    const id = started.json.id as string;
    await eventually(async () => {
      const run = (await server.request(`/api/runs/${id}`, { token: contoso })).json as RunRecord;
      return run.output.some((o) => o.kind === 'wait') || undefined;
    });
    assert.equal(
      (await server.request(`/api/runs/${id}/stop`, { method: 'POST', token: fabrikam })).status,
      404,
      'another admin cannot stop it',
    );
    assert.equal(
      (await server.request(`/api/runs/${id}/stop`, { method: 'POST', token: contoso, body: { now: true } })).status,
      400,
    );
    const stop = await server.request(`/api/runs/${id}/stop`, { method: 'POST', token: contoso });
    assert.equal(stop.status, 202, stop.text);
    const run = await eventually(async () => {
      const r = (await server.request(`/api/runs/${id}`, { token: contoso })).json as RunRecord;
      return r.status === 'running' ? undefined : r;
    });
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.type, 'Runbook.WaitStopped');
    assert.match(
      run.error?.message ?? '',
      /^You stopped waiting for IsDehydrated to read False after \d+ s\. At check 1: IsDehydrated reads True\.$/,
    );
    const again = await server.request(`/api/runs/${id}/stop`, { method: 'POST', token: contoso });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'run_ended');
    const next = await server.request('/api/runs', {
      method: 'POST',
      token: contoso,
      body: { step: 'check-impersonation-role' },
    });
    assert.equal(next.status, 202, 'the admin can run the next step at once');
  });
});

describe('a practice tenant reset', () => {
  const clock = new FakeClock(Date.now());
  let server: TestServer;
  let contoso: string;
  let fabrikam: string;

  before(async () => {
    server = await startServer({ clock });
    contoso = (await server.signIn(CONTOSO_ADMIN)).accessToken;
    fabrikam = (await server.signIn(FABRIKAM_ADMIN)).accessToken;
  });
  after(() => server.close(true));

  const start = async (token: string, step: string) => {
    const reply = await server.request('/api/runs', { method: 'POST', token, body: { step } });
    assert.equal(reply.status, 202, reply.text);
    return reply.json.id as string;
  };
  const finished = (token: string, id: string) =>
    eventually(async () => {
      const run = (await server.request(`/api/runs/${id}`, { token })).json as RunRecord;
      return run.status === 'running' ? undefined : run;
    });

  test("a practice tenant's reset marks the runs from before it, in the list and the record, and only its own admin's", async () => {
    const before = await finished(fabrikam, await start(fabrikam, 'check-impersonation-role'));
    const contosoRun = await finished(contoso, await start(contoso, 'check-impersonation-role'));
    assert.equal(before.tenantResetAt, undefined, 'not marked while the tenant was never reset');
    await clock.sleep(1_000);
    const reset = await server.request('/api/sandbox/reset', { method: 'POST', token: fabrikam });
    assert.equal(reset.status, 200, reset.text);
    await clock.sleep(1_000);
    const after = await finished(fabrikam, await start(fabrikam, 'check-impersonation-role'));

    const listed = (await server.request('/api/runs?limit=100', { token: fabrikam })).json as RunRecord[];
    const old = listed.find((r) => r.id === before.id)!;
    assert.ok(old.tenantResetAt, 'the run from before the reset is marked');
    assert.ok(Date.parse(old.tenantResetAt) > Date.parse(old.startedAt));
    assert.ok(Date.parse(old.tenantResetAt) <= Date.parse(after.startedAt));
    assert.deepEqual(
      { ...old, tenantResetAt: undefined },
      { ...before, tenantResetAt: undefined },
      'nothing else changes',
    );
    assert.equal(listed.find((r) => r.id === after.id)!.tenantResetAt, undefined, 'a run after the reset is not');
    const record = (await server.request(`/api/runs/${before.id}`, { token: fabrikam })).json as RunRecord;
    assert.equal(record.tenantResetAt, old.tenantResetAt);
    const theirs = (await server.request(`/api/runs/${contosoRun.id}`, { token: contoso })).json as RunRecord;
    assert.equal(theirs.tenantResetAt, undefined, "another tenant's runs are not marked");
  });
});
