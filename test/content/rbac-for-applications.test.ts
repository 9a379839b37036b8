/**
 * The RBAC for Applications guide agrees with the data it describes: every application role in its table, the sandbox
 * application's ids, the exact error texts it quotes, and the links that lead a reader here from the first guide and
 * the errors page. (Its live steps' order: test/runbook/lists.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { APPLICATION_ROLES } from '../../src/runbook/exchange/application-roles.ts';
import { errorsPage } from '../../src/components/known-errors.ts';
import { EXCHANGE_ERRORS } from '../../src/runbook/exchange/error-texts.ts';
import { FABRIKAM_ARCHIVER } from '../../server/sandbox/tenants/fabrikam.ts';

const DOCS = path.resolve(import.meta.dirname, '../../src/content/docs');
const guide = readFileSync(path.join(DOCS, 'guides/rbac-for-applications.mdx'), 'utf8');

describe('rbac-for-applications.mdx', () => {
  it('lists every application role with the permissions it grants', () => {
    for (const role of APPLICATION_ROLES) {
      const row = guide.split('\n').find((line) => line.startsWith(`| \`${role.name}\` |`));
      assert.ok(row, `no table row for ${role.name}`);
      assert.equal(row.split('|')[2]!.trim(), role.permissions.join(', '), role.name);
    }
  });
  it("quotes the sandbox application's ids as the sandbox seeds them", () => {
    for (const id of [
      FABRIKAM_ARCHIVER.appId,
      FABRIKAM_ARCHIVER.servicePrincipalObjectId,
      FABRIKAM_ARCHIVER.applicationObjectId,
    ])
      assert.ok(guide.includes(`\`${id}\``), id);
    assert.ok(guide.includes(FABRIKAM_ARCHIVER.displayName));
  });
  it('quotes the delegating-assignment error exactly', () => {
    assert.ok(guide.includes(EXCHANGE_ERRORS.find((e) => e.id === 'no-delegating-assignment')!.text));
  });
  it('is linked from the first guide and from the errors page', () => {
    assert.match(
      readFileSync(path.join(DOCS, 'guides/application-impersonation.mdx'), 'utf8'),
      /\]\(\/guides\/rbac-for-applications\/[#)]/,
    );
    const group = errorsPage().find((g) => g.guide.slug === 'rbac-for-applications');
    assert.ok(
      group?.entries.every((e) => e.guide.startsWith('/guides/rbac-for-applications/#')),
      'the errors page has a group linking here',
    );
  });
});
