import type { Role } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';

/** The roles PERMISSIONS.triage grants; the use-cases check them again behind the route. */
export const TRIAGE_ROLES = ['triager', 'product_admin'] as const satisfies readonly Role[];

export function requireTriager(actor: Pick<Actor, 'roles'>): void {
  if (!actor.roles.some((role) => (TRIAGE_ROLES as readonly Role[]).includes(role))) {
    throw new DomainError('forbidden', undefined, 403);
  }
}
