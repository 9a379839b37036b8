/**
 * The EWS steps' parameters as the API validates them, and the PowerShell each one previews: the list a write keeps,
 * the application added once, $null for an emptied list, and the bounds on ids and mailboxes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStep, parseParams, previewScript } from '../../../../src/runbook/catalog.ts';

const APP = '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93';
const ROOM = '953955a3-107b-48fe-9c24-e5c9b959af4d';
const CRM = 'a7c3c9ad-b7a5-4a50-a99b-84c6679ecdb1';

/** The validation message for `raw` on step `id`, or 'ok'. */
const check = (id: string, raw: unknown) => {
  const r = parseParams(getStep(id)!, raw);
  return r.ok ? 'ok' : r.message;
};
const preview = (id: string, p: unknown) => previewScript(getStep(id)!, p);

describe('allow-ews-application', () => {
  it('previews the list it keeps plus the application, as one string, with EwsEnabled $true', () => {
    assert.equal(
      preview('allow-ews-application', { app: APP, current: [ROOM, CRM] }),
      `Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs '${ROOM},${CRM},${APP}'`,
    );
    assert.equal(
      preview('allow-ews-application', { app: APP }),
      `Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs '${APP}'`,
    );
  });
  it('does not list the application twice when it is in the list already, whatever its case', () => {
    assert.equal(
      preview('allow-ews-application', { app: APP, current: [APP.toUpperCase(), ROOM] }),
      `Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs '${APP.toUpperCase()},${ROOM}'`,
    );
  });
  it('derives its undo: remove the application from the list it wrote, confirmed by the Undo click', () => {
    const step = getStep('allow-ews-application')!;
    assert.deepEqual(step.undo!.params(step.params.parse({ app: APP, current: [ROOM], confirm: true })), {
      app: APP,
      current: [ROOM, APP],
      confirm: true,
    });
  });
  it('refuses an id that is not a GUID, naming the field and the position', () => {
    assert.match(check('allow-ews-application', { app: 'archiver' }), /^params\.app: must be a GUID/);
    assert.match(
      check('allow-ews-application', { app: APP, current: [ROOM, 'CRM Sync'] }),
      /^params\.current\.1: must be a GUID/,
    );
    assert.equal(check('allow-ews-application', {}), 'params.app: Invalid input: expected string, received undefined');
  });
  it('bounds the list at 200 ids and takes no unknown field', () => {
    const many = Array.from({ length: 201 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    assert.equal(
      check('allow-ews-application', { app: APP, current: many }),
      "params.current: must list at most 200 ids (the runbook's limit)",
    );
    assert.equal(check('allow-ews-application', { app: APP, current: many.slice(0, 200) }), 'ok');
    assert.equal(
      check('allow-ews-application', { app: APP, EwsEnabled: false }),
      'params.EwsEnabled: unknown field; remove it',
    );
  });
  it('takes the confirmation as a Boolean, unticked unless sent', () => {
    const step = getStep('allow-ews-application')!;
    assert.equal((step.params.parse({ app: APP }) as { confirm: boolean }).confirm, false);
    assert.match(check('allow-ews-application', { app: APP, confirm: 'yes' }), /^params\.confirm: /);
  });
});

describe('remove-ews-application', () => {
  it('previews the list without the application, keeping the order of the others', () => {
    assert.equal(
      preview('remove-ews-application', { app: APP, current: [ROOM, APP.toUpperCase(), CRM] }),
      `Set-OrganizationConfig -EwsAllowedAppIDs '${ROOM},${CRM}'`,
    );
  });
  it('writes $null when the application was the only id', () => {
    assert.equal(
      preview('remove-ews-application', { app: APP, current: [APP] }),
      'Set-OrganizationConfig -EwsAllowedAppIDs $null',
    );
  });
});

describe('read-ews-policy', () => {
  it('always reads with -RetrieveEwsOperationAccessPolicy, the application optional', () => {
    assert.equal(
      preview('read-ews-policy', {}),
      'Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Format-List EwsEnabled,EwsAllowedAppIDs',
    );
    assert.equal(check('read-ews-policy', { app: APP }), 'ok');
    assert.match(check('read-ews-policy', { app: '' }), /^params\.app: must be a GUID/);
  });
});

describe('check-ews-mailboxes', () => {
  it('previews one Get-CASMailbox per mailbox, or the first 50 with -ResultSize', () => {
    assert.equal(
      preview('check-ews-mailboxes', {
        mailboxes: ['diego.siciliani@fabrikam.onmicrosoft.com', 'lynne.robbins@fabrikam.onmicrosoft.com'],
      }),
      "Get-CASMailbox -Identity 'diego.siciliani@fabrikam.onmicrosoft.com'\nGet-CASMailbox -Identity 'lynne.robbins@fabrikam.onmicrosoft.com'",
    );
    assert.equal(preview('check-ews-mailboxes', {}), 'Get-CASMailbox -ResultSize 50');
  });
  it('bounds the mailboxes at 50, refuses repeats and what is not an address', () => {
    const many = Array.from({ length: 51 }, (_, i) => `user${i}@fabrikam.onmicrosoft.com`);
    assert.equal(check('check-ews-mailboxes', { mailboxes: many }), 'params.mailboxes: must list at most 50 mailboxes');
    assert.equal(check('check-ews-mailboxes', { mailboxes: many.slice(0, 50) }), 'ok');
    assert.equal(
      check('check-ews-mailboxes', { mailboxes: ['a@fabrikam.onmicrosoft.com', 'A@fabrikam.onmicrosoft.com'] }),
      'params.mailboxes: must not list a mailbox twice',
    );
    assert.match(
      check('check-ews-mailboxes', { mailboxes: ['Lynne Robbins'] }),
      /^params\.mailboxes\.0: must be a user principal name/,
    );
  });
});
