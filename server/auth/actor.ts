/**
 * Who an admin is to the companion: tenant id and object id together, never a name (a UPN can be renamed or reused).
 * Runs, sessions, rate limits and event streams are all keyed by this.
 */
import type { Actor } from '../../src/runbook/core/cmdlets.ts';

/** The admin's key: `tid:oid`. */
export const actorKey = (actor: Pick<Actor, 'tid' | 'oid'>): string => `${actor.tid}:${actor.oid}`;
