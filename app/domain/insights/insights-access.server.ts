import type { Role } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';

/** Who reads the priority view, its export and the dashboard: the roles behind the 'triage' permission. */
const INSIGHTS_ROLES: readonly Role[] = ['triager', 'product_admin'];

export function requireInsightsRole(actor: Pick<Actor, 'roles'>): void {
  if (!actor.roles.some((role) => INSIGHTS_ROLES.includes(role))) throw new DomainError('forbidden', undefined, 403);
}
