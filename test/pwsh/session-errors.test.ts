/** What the API answers when an admin's PowerShell session cannot be opened. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionStartError } from '../../server/executors/types.ts';
import { toHttpError } from '../../server/http/errors.ts';

test('no Exchange token is a 400 naming the X-Exchange-Token header', () => {
  const http = toHttpError(new SessionStartError('exchange-token-missing', 'needs the Exchange token'));
  assert.deepEqual([http.status, http.code, http.field], [400, 'exchange_token_required', 'X-Exchange-Token']);
});

test('unusable PowerShell is a 503 that points at npm run doctor', () => {
  const http = toHttpError(new SessionStartError('powershell-unavailable', 'PowerShell did not start (pwsh).'));
  assert.equal(http.status, 503);
  assert.match(http.message, /^PowerShell did not start \(pwsh\)\. Run npm run doctor/);
});

test('a refused Connect-ExchangeOnline is a 502 with its reason', () => {
  const http = toHttpError(
    new SessionStartError(
      'connect-failed',
      'Connect-ExchangeOnline failed for a@b: The access token was rejected: expired',
    ),
  );
  assert.deepEqual(
    [http.status, http.code, http.message],
    [502, 'exchange_connect_failed', 'Connect-ExchangeOnline failed for a@b: The access token was rejected: expired'],
  );
});
