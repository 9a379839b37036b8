/** The guide's sources against the facts sheet: exact error texts, commands of the seed, live-step slots, sources. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXCHANGE_ERRORS, type ExchangeErrorText } from '../../src/runbook/exchange-errors.ts';
import { KNOWN_ERRORS, matchKnownError } from '../../src/runbook/known-errors.ts';
import { guideLink } from '../../src/runbook/guide-links.ts';
import { STEP_IDS } from '../../src/runbook/types.ts';
import { ERRORS_SOURCE, GUIDE_SOURCE, fencedBlocks, readDoc } from '../support/docs-source.ts';

const guide = readDoc(GUIDE_SOURCE);
const errorsPage = readDoc(ERRORS_SOURCE);

/** The code of every block in `lang`, one entry per block. */
function blocksIn(mdx: string, lang: string): string[] {
  return fencedBlocks(mdx).filter((b) => b.lang === lang).map((b) => b.code);
}

test('every known error text is quoted verbatim in its own text block, in the guide and on the errors page', () => {
  for (const page of [guide, errorsPage]) {
    const quoted = blocksIn(page, 'text');
    for (const error of EXCHANGE_ERRORS) {
      assert.ok(quoted.includes(error.text), `missing exact quote of ${error.id}: ${error.text}`);
    }
  }
});

test('the errors page links every error to the guide section that explains it', () => {
  for (const error of EXCHANGE_ERRORS) {
    assert.ok(errorsPage.includes(`](${guideLink(error.section)})`), `no link to ${guideLink(error.section)} for ${error.id}`);
  }
});

test('the runbook recognises every error text the pages quote, so a run explains what the page describes', () => {
  const quoted: readonly ExchangeErrorText[] = EXCHANGE_ERRORS;
  const unrecognised = quoted.filter((error) => {
    const message = error.text.replace(/<[a-z]+>/g, 'Sample');
    return !matchKnownError(Object.values(KNOWN_ERRORS), { message, type: error.type ?? 'System.Exception' });
  });
  // The delegating-role-assignment text belongs to RBAC for Applications, whose steps come with a later issue.
  assert.deepEqual(unrecognised.map((e) => e.id), ['no-delegating-assignment']);
});

test('errors marked unconfirmed are called unconfirmed next to their quote on both pages', () => {
  for (const page of [guide, errorsPage]) {
    for (const error of EXCHANGE_ERRORS.filter((e) => !e.confirmed)) {
      const at = page.indexOf(error.text);
      const around = page.slice(Math.max(0, at - 600), at + error.text.length + 600).toLowerCase();
      assert.match(around, /unconfirmed|not a confirmed wording/, `${error.id} is not marked unconfirmed`);
    }
  }
});

test('every command of the 2023 how-to and of the 2026 notice sits in a PowerShell block', () => {
  const code = blocksIn(guide, 'powershell').join('\n');
  const commands = [
    'Install-Module -Name ExchangeOnlineManagement',
    'Import-Module -Name ExchangeOnlineManagement',
    'Connect-ExchangeOnline',
    'Enable-OrganizationCustomization',
    'Get-OrganizationConfig | fl IsDehydrated',
    'Get-ManagementRoleAssignment -Role ApplicationImpersonation -GetEffectiveUsers -Delegating:$false',
    'Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs',
    'New-ManagementRoleAssignment -Role ApplicationImpersonation -User',
    'New-RoleGroup -Name',
    'Remove-RoleGroup -Identity',
  ];
  for (const command of commands) assert.ok(code.includes(command), `no PowerShell block runs: ${command}`);
});

test('each live step sits once, in order, directly above the PowerShell block it runs', () => {
  // A slot is the placeholder comment `{/* RunStep: id */}` or, once the live components are placed, `<RunStep id="id" ... />`.
  const slots = [...guide.matchAll(/(?:\{\/\* RunStep: ([a-z-]+) \*\/\}|<RunStep id="([a-z-]+)"[^>]*\/>)\n\n?/g)];
  assert.deepEqual(slots.map((m) => m[1] ?? m[2]), ['check-impersonation-role', 'create-role-group', 'enable-customization', 'check-dehydrated', 'remove-role-group']);
  const blocks = fencedBlocks(guide);
  for (const slot of slots) {
    const id = slot[1] ?? slot[2];
    assert.ok((STEP_IDS as readonly string[]).includes(id!), `${id} is not in STEP_IDS`);
    const next = blocks.find((b) => b.offset === slot.index + slot[0].length);
    assert.equal(next?.lang, 'powershell', `step ${id} is not directly followed by its PowerShell block`);
  }
});

test('the status notice comes first and cites its sources', () => {
  const notice = guide.slice(guide.indexOf(':::caution'), guide.indexOf('\n:::\n'));
  assert.ok(guide.indexOf(':::caution') < guide.indexOf('\n## '), 'the notice is not above the first section');
  for (const source of [
    'MC718754',
    'MC1227454',
    'https://techcommunity.microsoft.com/t5/exchange-team-blog/retirement-of-rbac-application-impersonation-in-exchange-online/ba-p/4062671',
    'Critical Update: ApplicationImpersonation RBAC Role Deprecation in Exchange Online',
    'https://learn.microsoft.com/exchange/permissions-exo/application-rbac',
    'February 2025',
    'September 2024',
    '1 October 2026',
    '1 April 2027',
  ]) {
    assert.ok(notice.includes(source), `status notice lacks ${source}`);
  }
});
