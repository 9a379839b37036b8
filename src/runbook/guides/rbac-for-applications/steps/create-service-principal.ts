/**
 * create-service-principal: registers an Entra ID application in Exchange (New-ServicePrincipal), the first step of
 * RBAC for Applications. Needs the application id and the enterprise application's object id (not the app
 * registration's). Verified with Get-ServicePrincipal; undone by remove-service-principal.
 */
import { z } from 'zod';
import { CUSTOMIZATION_ERRORS } from '../../../exchange/customization.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { guid } from '../../../core/params.ts';
import { applicationId, RBAC_VALUES, servicePrincipalDisplayName } from '../params.ts';
import { customizationNote, findServicePrincipal, writeWhileRbacSpreads } from '../queries.ts';
import { echoingSession, explainNext, resolveCall, sameName } from '../../../core/session.ts';
import { runbookFailure } from '../../../core/failure.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z
  .object({
    appId: applicationId.meta({
      description: 'From Entra admin center > Enterprise applications > your app > Overview.',
    }),
    objectId: guid.meta({
      title: 'Object ID',
      description: 'Of the enterprise application (Enterprise applications > your app), not of the app registration.',
      carry: RBAC_VALUES.objectId,
    }),
    displayName: servicePrincipalDisplayName.meta({
      description: 'A name for the service principal in Exchange, 1-256 characters.',
    }),
  })
  .strict()
  .refine((p) => p.appId.toLowerCase() !== p.objectId.toLowerCase(), {
    path: ['objectId'],
    message: "must be the enterprise application's object id, which differs from the application id",
  });
type Params = z.output<typeof params>;

const knownErrors = [
  CUSTOMIZATION_ERRORS.dehydrated,
  CUSTOMIZATION_ERRORS.customizationPropagating,
  RBAC_ERRORS.servicePrincipalExists,
  RBAC_ERRORS.notEnterpriseAppObjectId,
  RBAC_ERRORS.appNotInEntra,
];

export const createServicePrincipal: StepDefinition<typeof params> = {
  id: 'create-service-principal',
  title: 'Register the application in Exchange',
  summary:
    'Creates an Exchange service principal for an Entra ID application, so Exchange roles can be assigned to it.',
  params,
  irreversible: false,
  readOnly: false,
  undo: { step: 'remove-service-principal', params: (p) => ({ app: p.appId }) },
  guide: rbacLink('registerApp'),
  plan: (p: Params) => [
    { cmdlet: 'New-ServicePrincipal', params: { AppId: p.appId, ObjectId: p.objectId, DisplayName: p.displayName } },
  ],
  async probe(exo, p) {
    const sp = await findServicePrincipal(exo, p.appId);
    if (sp && sameName(sp.ObjectId, p.objectId))
      return { state: 'done', reason: `The application is registered in Exchange as "${String(sp.DisplayName)}".` };
    if (sp) {
      return {
        state: 'blocked',
        reason: `The application is registered already, with the object id ${String(sp.ObjectId)}. If that is wrong, remove it with “Remove the service principal” and register it again.`,
        guide: rbacLink('wrongObjectId'),
      };
    }
    return {
      state: 'needed',
      reason: `Exchange has no service principal for the application ${p.appId} yet.${await customizationNote(exo)}`,
    };
  },
  async run(ctx, p) {
    await writeWhileRbacSpreads(
      ctx,
      resolveCall(createServicePrincipal.plan(p)[0]!),
      knownErrors,
      'register the application',
    );
    explainNext(ctx, 'Checking that Exchange now knows the application, with this object id:');
    const sp = await findServicePrincipal(echoingSession(ctx), p.appId);
    if (!sp || !sameName(sp.ObjectId, p.objectId)) {
      throw runbookFailure(
        'VerificationFailed',
        `New-ServicePrincipal succeeded, but Get-ServicePrincipal does not show ${p.appId} with the object id ${p.objectId}.`,
      );
    }
    ctx.emit(
      'result',
      `Registered "${String(sp.DisplayName)}" (application id ${p.appId}, object id ${p.objectId}).`,
      sp,
    );
    return { displayName: sp.DisplayName, appId: sp.AppId, objectId: sp.ObjectId };
  },
  knownErrors,
};
