/**
 * Parameter schemas of the RBAC for Applications steps: service principal names, management scope names and filters,
 * with messages that name the rule broken.
 */
import { z } from 'zod';
import { guid, objectName } from '../../core/params.ts';
import { filterProblem } from '../../exchange/opath.ts';

/** A service principal in Exchange, named by its application id or its object id. */
export const servicePrincipalId = guid.meta({
  description: "The application's service principal in Exchange: its application (client) id or the enterprise application's object id.",
});

export const servicePrincipalDisplayName = objectName(256, 'service principal display names');
export const managementScopeName = objectName(64, 'management scope names').meta({ description: 'Management scope name, 1-64 characters.' });
export const roleAssignmentName = objectName(64, 'management role assignment names');

/** An OPATH recipient filter, checked for balanced quotes and parentheses, known operators and known properties. */
export const recipientFilter = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .superRefine((text, ctx) => {
    const problem = filterProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: "OPATH recipient filter, e.g. CustomAttribute1 -eq 'EWS-Archive'." });
