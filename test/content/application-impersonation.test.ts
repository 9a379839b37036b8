/**
 * The ApplicationImpersonation guide's source against the facts sheet: exact error texts, commands of the seed, what
 * sits below live steps, sources. (Its live steps' order: test/runbook/lists.test.ts; the errors page: errors.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXCHANGE_ERRORS, type ExchangeErrorText } from '../../src/runbook/exchange/error-texts.ts';
import { matchKnownError } from '../../src/runbook/core/known-errors.ts';
import { getStep, STEPS } from '../../src/runbook/catalog.ts';
import { renderScript } from '../../src/runbook/core/preview.ts';
import { previewParams } from '../../src/components/step-fields.ts';
import { GUIDE_SOURCE, fencedBlocks, readDoc } from '../support/docs-source.ts';
import { SESSION_ERRORS } from '../../src/runbook/exchange/connection.ts';

const guide = readDoc(GUIDE_SOURCE);
const RBAC_SOURCE = 'guides/rbac-for-applications.mdx';
// A slot is the placeholder comment `{/* RunStep: id */}` or, once the live components are placed,
// `<RunStep id="id" ... />`.
const SLOT = /(?:\{\/\* RunStep: ([a-z-]+) \*\/\}|<RunStep id="([a-z-]+)"[^>]*\/>)\n\n?/g;

/** The PowerShell a live step shows before anyone touches its form (its Shiki-highlighted preview). */
function livePreview(id: string): string {
  const step = getStep(id)!;
  return renderScript(step.plan(previewParams(step)));
}

/** A command's shape without its values: cmdlets, parameter names and pipes, so sample values do not matter. */
function commandShape(code: string): string[] {
  return code.replace(/'[^']*'|"[^"]*"|<[^>]*>/g, '').match(/[A-Za-z]+-[A-Za-z]+|-[A-Za-z]+|\|\s*\w+/g) ?? [];
}

/** The code of every block in `lang`, one entry per block. */
function blocksIn(mdx: string, lang: string): string[] {
  return fencedBlocks(mdx)
    .filter((b) => b.lang === lang)
    .map((b) => b.code);
}

test('every error text the guide explains is quoted verbatim in its own text block', () => {
  const quoted = blocksIn(guide, 'text');
  for (const error of EXCHANGE_ERRORS) {
    assert.ok(quoted.includes(error.text), `missing exact quote of ${error.id}: ${error.text}`);
  }
});

test('the runbook recognises every error text the guide quotes, so a run explains what the page describes', () => {
  const quoted: readonly ExchangeErrorText[] = EXCHANGE_ERRORS;
  const known = STEPS.flatMap((step) => step.knownErrors);
  const unrecognised = quoted.filter((error) => {
    const message = error.text.replace(/<[a-z]+>/g, 'Sample');
    return !matchKnownError([...known, ...SESSION_ERRORS], { message, type: error.type ?? 'System.Exception' });
  });
  assert.deepEqual(
    unrecognised.map((e) => e.id),
    [],
  );
});

test('errors marked unconfirmed are called unconfirmed next to their quote', () => {
  for (const error of EXCHANGE_ERRORS.filter((e) => !e.confirmed)) {
    const at = guide.indexOf(error.text);
    const around = guide.slice(Math.max(0, at - 600), at + error.text.length + 600).toLowerCase();
    assert.match(around, /unconfirmed|not a confirmed wording/, `${error.id} is not marked unconfirmed`);
  }
});

test('every command of the 2023 how-to and of the 2026 notice sits in a PowerShell block', () => {
  // A live step shows its PowerShell even without JavaScript, so its preview counts as a block of the page.
  const previews = [...guide.matchAll(SLOT)].map((m) => livePreview((m[1] ?? m[2])!));
  const code = [...blocksIn(guide, 'powershell'), ...previews].join('\n');
  const commands = [
    'Install-Module -Name ExchangeOnlineManagement',
    'Import-Module -Name ExchangeOnlineManagement',
    'Connect-ExchangeOnline',
    'Enable-OrganizationCustomization',
    'Get-OrganizationConfig | Format-List IsDehydrated',
    'Get-ManagementRoleAssignment -Role ApplicationImpersonation -GetEffectiveUsers -Delegating:$false',
    'Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs',
    'New-ManagementRoleAssignment -Role ApplicationImpersonation -User',
    'New-RoleGroup -Name',
    'Remove-RoleGroup -Identity',
  ];
  for (const command of commands) assert.ok(code.includes(command), `no PowerShell block runs: ${command}`);
});

test('one check shows one command: the IsDehydrated example runs exactly what its live step shows', () => {
  const examples = fencedBlocks(guide).filter((b) => b.lang === 'text' && b.code.includes('IsDehydrated :'));
  assert.equal(examples.length, 1);
  assert.equal(examples[0]!.code.split('\n')[0], `PS C:\\> ${livePreview('check-dehydrated')}`);
  const powershell = blocksIn(guide, 'powershell').filter((code) => code.includes('IsDehydrated'));
  assert.deepEqual(powershell, [], 'no second spelling of the check in a PowerShell block');
});

test('no static PowerShell block right below a live step repeats the command the step already shows', () => {
  for (const mdx of [guide, readDoc(RBAC_SOURCE)]) {
    const blocks = fencedBlocks(mdx);
    for (const slot of mdx.matchAll(SLOT)) {
      const id = (slot[1] ?? slot[2])!;
      const next = blocks.find((b) => b.offset === slot.index + slot[0].length && b.lang === 'powershell');
      if (next)
        assert.notDeepEqual(commandShape(next.code), commandShape(livePreview(id)), `${id} shows its PowerShell twice`);
    }
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
