/**
 * The Exchange session itself, which every step of every guide meets whatever it runs: Exchange Online refusing the
 * admin's access token, at Connect-ExchangeOnline or on a later cmdlet once the token has expired. Explained in the
 * ApplicationImpersonation guide, beside Connect-ExchangeOnline.
 */
import type { KnownError } from '../core/known-errors.ts';
import { impersonationLink } from '../guides/application-impersonation/sections.ts';
import { quoted } from './error-texts.ts';

export const CONNECTION_ERRORS = {
  exchangeTokenRefused: {
    id: 'exchange-token-refused',
    title: 'Connect refused (UnAuthorized)',
    ...quoted('connect-unauthorized'),
    meaning:
      'Exchange Online refused the Exchange token this session connects with (Connect-ExchangeOnline -AccessToken), so nothing was run. Exchange does not say why.',
    action:
      'Reload the page (or sign in again) so the companion gets a fresh token, then run the step again. If it keeps failing, the app registration needs the delegated permission Exchange.Manage of Office 365 Exchange Online with admin consent, and your account an Exchange role that allows these cmdlets (Organization Management).',
    guide: impersonationLink('errorUnauthorized'),
  },
} satisfies Record<string, KnownError>;

/** Errors any step can meet, whatever it runs: they come from the session, not from the step's cmdlets. */
export const SESSION_ERRORS: readonly KnownError[] = Object.values(CONNECTION_ERRORS);
