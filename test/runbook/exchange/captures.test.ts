/**
 * The runbook against what Exchange really prints: every capture in test/fixtures/exchange-captures/ (one file each,
 * picked up by reading the folder) goes through the executor's normalizer (envelope.ts), the known-error classifier
 * and every probe helper that must tell "not found" from a real failure. Each error capture is also rewritten into
 * both of the V3 module's shapes (`Ex<code>|<type>|<text>` and `||<text>`, the name then only in Reason), which must
 * classify the same.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type RawErrorRecord, toExoError } from '../../../server/executors/powershell/envelope.ts';
import { STEPS } from '../../../src/runbook/catalog.ts';
import type { CmdletCall, CmdletResult, ExchangeSession, ExoError } from '../../../src/runbook/core/cmdlets.ts';
import { StepFailure } from '../../../src/runbook/core/failure.ts';
import { type KnownError, matchKnownError } from '../../../src/runbook/core/known-errors.ts';
import { getOrEmpty, isNotFound } from '../../../src/runbook/core/session.ts';
import { impersonationRoleExists } from '../../../src/runbook/exchange/application-roles.ts';
import { CUSTOMIZATION_ERRORS } from '../../../src/runbook/exchange/customization.ts';
import { findRoleGroup } from '../../../src/runbook/guides/application-impersonation/queries.ts';
import {
  explicitOrganizationManagementMember,
  findManagementScope,
  findRoleAssignment,
  findServicePrincipal,
} from '../../../src/runbook/guides/rbac-for-applications/queries.ts';
import { authorizationRow } from '../../../src/runbook/guides/rbac-for-applications/steps/test-app-authorization.ts';

const FOLDER = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'exchange-captures');

interface ErrorCapture {
  title: string;
  kind?: 'error';
  source: { url: string; published: string | null; what: string };
  shape: string;
  printed: string;
  record: RawErrorRecord & { message: string };
  expect: { message: string; type: string; notFound: boolean; recognisedAs?: string; unrecognised?: true };
}
interface OutputCapture {
  title: string;
  kind: 'output';
  source: { url: string; published: string | null; what: string };
  printed: string;
  expect: { rows: Array<Record<string, unknown>> };
}
type Capture = ErrorCapture | OutputCapture;

const captures = readdirSync(FOLDER)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, capture: JSON.parse(readFileSync(path.join(FOLDER, file), 'utf8')) as Capture }));
const errors = captures.filter((c): c is { file: string; capture: ErrorCapture } => c.capture.kind !== 'output');
const outputs = captures.filter((c): c is { file: string; capture: OutputCapture } => c.capture.kind === 'output');

/** Every known error any step can meet, plus the customization ones every guide shares. */
const ALL_KNOWN: KnownError[] = [
  ...new Map(
    [...STEPS.flatMap((s) => s.knownErrors), ...Object.values(CUSTOMIZATION_ERRORS)].map((k) => [k.id, k]),
  ).values(),
];

/** The capture's service text in the V3 module's two shapes: coded with the full type, bare with the name in Reason. */
function reshaped(error: ExoError): Array<[string, RawErrorRecord]> {
  const short = error.type.slice(error.type.lastIndexOf('.') + 1);
  const fqid =
    '[Server=SA1PR01MB0001,RequestId=00000000-0000-0000-0000-000000000000,TimeStamp=Mon, 01 Dec 2026 00:00:00 GMT]';
  return [
    [
      'coded',
      {
        message: `Ex0A1B2C|${error.type}|${error.message}`,
        type: short,
        reason: short,
        category: 'NotSpecified',
        fqid: `${fqid},Write-ErrorMessage`,
      },
    ],
    [
      'bare',
      {
        message: `||${error.message}`,
        type: 'System.Exception',
        reason: short,
        category: 'NotSpecified',
        fqid: `${fqid},Write-ErrorMessage`,
      },
    ],
  ];
}

/** A session that answers every call with `error`, recording the calls. */
function failingSession(error: ExoError, upn?: string): ExchangeSession & { calls: CmdletCall[] } {
  const calls: CmdletCall[] = [];
  return {
    calls,
    ...(upn === undefined ? {} : { upn }),
    async invoke(call: CmdletCall): Promise<CmdletResult> {
      calls.push(call);
      return { ok: false, error };
    },
  };
}

/** Asserts that `probe` treats the error as "absent" (notFound) or fails with the error verbatim. */
async function absentOrFails(
  name: string,
  notFound: boolean,
  error: ExoError,
  probe: () => Promise<unknown>,
  absent: unknown,
) {
  if (notFound) {
    assert.deepEqual(await probe(), absent, `${name} treats not-found as absent`);
    return;
  }
  await assert.rejects(
    probe,
    (thrown: unknown) => thrown instanceof StepFailure && thrown.error.message === error.message,
    `${name} fails with the text verbatim`,
  );
}

/** Rows of a Format-Table print: columns split where the header's dashes start. */
function parseTable(printed: string): Array<Record<string, string>> {
  const [header, dashes, ...lines] = printed.split('\n');
  const starts = [...dashes!.matchAll(/-+/g)].map((m) => m.index);
  const cell = (line: string, i: number) => line.slice(starts[i], starts[i + 1]).trim();
  const names = starts.map((_, i) => cell(header!, i));
  return lines.map((line) => Object.fromEntries(names.map((name, i) => [name, cell(line, i)])));
}

describe('the capture corpus', () => {
  it('holds both module shapes, prefixed texts, FQIDs and the Not Run table, each with its source', () => {
    assert.ok(errors.some((c) => c.capture.shape === 'coded') && errors.some((c) => c.capture.shape === 'bare'));
    assert.ok(errors.some((c) => /^Active Directory operation failed on /.test(c.capture.record.message)));
    assert.ok(errors.some((c) => /\[FailureCategory=Cmdlet-/.test((c.capture.record.fqid as string) ?? '')));
    assert.ok(outputs.some((c) => c.capture.expect.rows.some((r) => r.InScope === 'Not Run')));
    for (const { file, capture } of captures) {
      assert.match(capture.source.url, /^https:\/\//, `${file} names its source`);
      assert.ok(
        capture.source.what.length > 20 && capture.printed.length > 0,
        `${file} says what was captured and shows it`,
      );
    }
  });
});

for (const { file, capture } of errors) {
  describe(`capture ${file}: ${capture.title}`, () => {
    const error = toExoError(capture.record);

    it('is normalized to the service text, without the module prefix, and the exception the record names', () => {
      assert.equal(error.message, capture.expect.message);
      assert.equal(error.type, capture.expect.type);
    });

    it(
      capture.expect.unrecognised
        ? 'is claimed by no known error: the admin gets it verbatim'
        : `is explained as ${capture.expect.recognisedAs}`,
      () => {
        const matching = ALL_KNOWN.filter((k) => matchKnownError([k], error)).map((k) => k.id);
        if (capture.expect.unrecognised) assert.deepEqual(matching, []);
        else assert.ok(matching.includes(capture.expect.recognisedAs!), `matched ${JSON.stringify(matching)}`);
      },
    );

    it(`reads as ${capture.expect.notFound ? '' : 'not '}"not found" in every probe helper`, async () => {
      assert.equal(isNotFound(error), capture.expect.notFound);
      const exo = () => failingSession(error);
      await absentOrFails(
        'getOrEmpty',
        capture.expect.notFound,
        error,
        () => getOrEmpty(exo(), { cmdlet: 'Get-RoleGroup', params: {} }),
        [],
      );
      await absentOrFails('findRoleGroup', capture.expect.notFound, error, () => findRoleGroup(exo(), 'x'), undefined);
      await absentOrFails(
        'impersonationRoleExists',
        capture.expect.notFound,
        error,
        () => impersonationRoleExists(exo()),
        false,
      );
      await absentOrFails(
        'findServicePrincipal',
        capture.expect.notFound,
        error,
        () => findServicePrincipal(exo(), 'x'),
        undefined,
      );
      await absentOrFails(
        'findManagementScope',
        capture.expect.notFound,
        error,
        () => findManagementScope(exo(), 'x'),
        undefined,
      );
      await absentOrFails(
        'findRoleAssignment',
        capture.expect.notFound,
        error,
        () => findRoleAssignment(exo(), 'x'),
        undefined,
      );
      // The membership check never fails a probe: an unreadable list is "unknown".
      assert.equal(
        await explicitOrganizationManagementMember(failingSession(error, 'admin@contoso.onmicrosoft.com')),
        undefined,
      );
    });

    it("classifies the same in both of the V3 module's shapes", () => {
      for (const [shape, record] of reshaped(error)) {
        const again = toExoError(record);
        assert.equal(again.message, error.message, shape);
        assert.equal(isNotFound(again), capture.expect.notFound, shape);
        const matching = ALL_KNOWN.filter((k) => matchKnownError([k], again)).map((k) => k.id);
        if (capture.expect.unrecognised) assert.deepEqual(matching, [], shape);
        else
          assert.ok(matching.includes(capture.expect.recognisedAs!), `${shape}: matched ${JSON.stringify(matching)}`);
      }
    });
  });
}

for (const { file, capture } of outputs) {
  describe(`capture ${file}: ${capture.title}`, () => {
    it('is read by the step as the rows the reference shows, InScope True, False or Not Run', () => {
      const rows = parseTable(capture.printed).map((r) => authorizationRow(r, 'Mailbox A'));
      assert.equal(rows.length, capture.expect.rows.length);
      capture.expect.rows.forEach((expected, i) => {
        for (const [key, value] of Object.entries(expected))
          assert.equal(rows[i]![key as keyof (typeof rows)[number]], value, `row ${i} ${key}`);
      });
    });
  });
}
