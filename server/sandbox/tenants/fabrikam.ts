/**
 * fabrikam: Exchange Online as it is in December 2026. Customized long ago, ApplicationImpersonation removed (from
 * February 2025), and the Fabrikam Mail Archiver waiting to be authorized with RBAC for Applications, as that guide
 * does. EWS as MC1227454 left it: EwsEnabled was never set, so Microsoft set it to False on 1 October 2026, after
 * pre-populating the allow list in September with the applications it had seen; the archiver is not on that list.
 */
import { EWS_VALUES } from '../../../src/runbook/guides/keep-ews-working/params.ts';
import { RBAC_VALUES } from '../../../src/runbook/guides/rbac-for-applications/params.ts';
import type { EntraApplication } from '../state.ts';
import { COMMON_ROLES, type SandboxTenant, tenantState } from './shared.ts';

const DOMAIN = 'fabrikam.onmicrosoft.com';
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The application fabrikam's admin authorizes in the RBAC guide; the guide quotes these ids (a test keeps them equal).
 */
export const FABRIKAM_ARCHIVER: EntraApplication = {
  displayName: 'Fabrikam Mail Archiver',
  appId: '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93',
  servicePrincipalObjectId: 'b81d4e27-6a3c-4f95-8e02-7c9a1d3b5f64',
  applicationObjectId: 'e4c07a91-2f5b-4d38-a6e1-93b8c0d2f715',
};

/**
 * The applications on fabrikam's allow list, as Microsoft pre-populated it in September 2026 (which applications, and
 * the list's exact spelling, are the sandbox's choice: Exchange only shows the ids).
 */
export const FABRIKAM_PREPOPULATED_EWS_APPS = [
  { displayName: 'Fabrikam Room Display', appId: '953955a3-107b-48fe-9c24-e5c9b959af4d' },
  { displayName: 'Fabrikam CRM Sync', appId: 'a7c3c9ad-b7a5-4a50-a99b-84c6679ecdb1' },
] as const;

export const FABRIKAM: SandboxTenant = {
  name: 'fabrikam',
  tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002',
  domain: DOMAIN,
  displayName: 'Fabrikam',
  description: 'As in 2026: customized, ApplicationImpersonation removed from Exchange Online',
  server: 'SIMPR02MB0002.eurprd02.prod.outlook.com',
  forest: 'EURPR02A002',
  domainController: 'EURPR02A002DC002.EURPR02A002.prod.outlook.com',
  admins: [
    { upn: 'admin@fabrikam.onmicrosoft.com', name: 'Fabrikam Admin', explicitMember: true },
    {
      upn: 'globaladmin@fabrikam.onmicrosoft.com',
      name: 'Fabrikam Global Admin',
      explicitMember: false,
      description:
        'As in 2026, signed in as an Entra Global Administrator who is not an explicit member of Organization Management',
    },
  ],
  // What "Use the sandbox's values" fills in: the enterprise application's object id (not the app registration's),
  // and a scope over the two mailboxes marked CustomAttribute1 = EWS-Archive; for the EWS guide, the allow list as
  // the first step reads it and the archiver's two mailboxes (the archiver's id is the same app-id).
  practiceValues: {
    [RBAC_VALUES.appId]: FABRIKAM_ARCHIVER.appId,
    [RBAC_VALUES.objectId]: FABRIKAM_ARCHIVER.servicePrincipalObjectId,
    [RBAC_VALUES.displayName]: FABRIKAM_ARCHIVER.displayName,
    [RBAC_VALUES.scope]: 'EWS-Archive mailboxes',
    [RBAC_VALUES.filter]: "CustomAttribute1 -eq 'EWS-Archive'",
    [EWS_VALUES.allowList]: FABRIKAM_PREPOPULATED_EWS_APPS.map((a) => a.appId).join(','),
    [EWS_VALUES.mailboxes]: 'diego.siciliani@fabrikam.onmicrosoft.com, lynne.robbins@fabrikam.onmicrosoft.com',
  },
  // Customized a year before the sandbox first saw it, so IsDehydrated reads False and writes are allowed.
  seed: (now) =>
    tenantState({
      domain: DOMAIN,
      customizationEnabledAt: now - YEAR_MS,
      roles: COMMON_ROLES,
      mailboxes: [
        ['admin', 'Fabrikam Admin', 'UserMailbox', 'IT', ''],
        ['svc-ews', 'EWS Service Account', 'UserMailbox', 'IT', ''],
        ['diego.siciliani', 'Diego Siciliani', 'UserMailbox', 'Sales', 'EWS-Archive'],
        ['lynne.robbins', 'Lynne Robbins', 'UserMailbox', 'Finance', 'EWS-Archive'],
        ['isaiah.langer', 'Isaiah Langer', 'UserMailbox', 'Sales', ''],
        ['helpdesk', 'Helpdesk', 'SharedMailbox', 'IT', ''],
      ],
      app: FABRIKAM_ARCHIVER,
      ews: { enabled: false, allowedAppIds: FABRIKAM_PREPOPULATED_EWS_APPS.map((a) => a.appId).join(',') },
      // An admin switched EWS off for one of the archiver's mailboxes; the mailbox check in the EWS guide finds it.
      ewsOffMailboxes: ['lynne.robbins'],
    }),
};
