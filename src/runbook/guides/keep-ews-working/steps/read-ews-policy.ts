/**
 * read-ews-policy: the organization's EWS policy, EwsEnabled and EwsAllowedAppIDs, as Get-OrganizationConfig
 * -RetrieveEwsOperationAccessPolicy returns them; with an application id, whether that application may use EWS under
 * them. Read-only: the list it prints is what the allow and remove steps need in their forms.
 */
import { z } from 'zod';
import { echoingSession } from '../../../core/session.ts';
import type { StepDefinition } from '../../../core/step.ts';
import { EWS_ERRORS } from '../errors.ts';
import { applicationId } from '../params.ts';
import { judgeApplication, READ_POLICY, readPolicy, showEnabled, showList } from '../queries.ts';
import { ewsLink } from '../sections.ts';

const params = z
  .object({
    app: applicationId
      .optional()
      .meta({ description: 'Application (client) ID to judge; leave empty to only read the policy.' }),
  })
  .strict();

const knownErrors = [EWS_ERRORS.parameterMissing];

export const readEwsPolicy: StepDefinition<typeof params> = {
  id: 'read-ews-policy',
  title: "Read the organization's EWS policy",
  summary:
    'Shows EwsEnabled and EwsAllowedAppIDs, and whether the application given may use EWS under them; changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: ewsLink('readPolicy'),
  plan: () => [READ_POLICY],
  async probe(exo, p) {
    const policy = await readPolicy(exo, knownErrors);
    const summary = `EwsEnabled reads ${showEnabled(policy.enabled)}; EwsAllowedAppIDs holds ${policy.appIds.length} id${policy.appIds.length === 1 ? '' : 's'}.`;
    if (p.app === undefined) return { state: 'done', reason: summary };
    const verdict = judgeApplication(policy, p.app);
    if (verdict.allowed) return { state: 'done', reason: verdict.reason };
    return { state: 'needed', reason: `${verdict.reason} Allow it with the next step.`, guide: ewsLink('allow') };
  },
  async run(ctx, p) {
    const policy = await readPolicy(echoingSession(ctx), knownErrors);
    ctx.emit('result', `EwsEnabled: ${showEnabled(policy.enabled)}`, { EwsEnabled: policy.enabled });
    ctx.emit('result', `EwsAllowedAppIDs: ${showList(policy.appIds)}`, { EwsAllowedAppIDs: policy.appIds });
    const verdict = p.app === undefined ? undefined : judgeApplication(policy, p.app);
    if (verdict)
      ctx.emit('result', `${p.app}: ${verdict.allowed ? 'may use EWS' : 'may not use EWS'}. ${verdict.reason}`);
    return {
      ewsEnabled: policy.enabled,
      ewsAllowedAppIds: policy.appIds,
      ...(verdict ? { app: p.app, allowed: verdict.allowed } : {}),
    };
  },
  knownErrors,
};
