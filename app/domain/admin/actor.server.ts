import type { Role } from '../../../db/schema.js';
import { DomainError } from '../errors.js';

/** The person acting, as use-cases need them: never their identity. */
export interface Actor {
  id: string;
  orgId: string | null;
  roles: readonly Role[];
}

/**
 * The precise check inside a use-case, behind the route's coarse
 * requirePermission: a use-case called from a worker or a test is guarded too.
 */
export function requireRole(actor: Actor, role: Role): void {
  if (!actor.roles.includes(role)) throw new DomainError('forbidden', undefined, 403);
}

/** Postgres unique_violation: a concurrent insert won the race a pre-check lost. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
