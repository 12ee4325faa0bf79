import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';

/**
 * Finance pages read money movements and pseudonyms (never identities):
 * finance approvers and admins may read; only finance admins act on batches.
 * The routes' requirePermission is the coarse gate; this is the use-case's own.
 */
export function requireFinanceReader(actor: Actor): void {
  if (!actor.roles.some((role) => role === 'finance_approver' || role === 'finance_admin')) {
    throw new DomainError('forbidden', undefined, 403);
  }
}
