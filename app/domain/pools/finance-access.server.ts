import type { Role } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';

/**
 * Who reads the finance pages and decides nominations: the roles behind
 * 'finance.approve'. The routes' requirePermission is the coarse gate; this is
 * the use-case's own.
 */
const FINANCE_ROLES: readonly Role[] = ['finance_approver', 'finance_admin'];

export function requireFinanceRole(actor: Pick<Actor, 'roles'>): void {
  if (!actor.roles.some((role) => FINANCE_ROLES.includes(role))) throw new DomainError('forbidden', undefined, 403);
}
