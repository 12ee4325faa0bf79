import type { Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { DomainError } from '../errors.js';
import { TRIAGE_ROLES } from './triage-roles.js';

// The checks a triage edit makes on what it points to, shared by the post
// panel and the inbox's bulk actions.

export type TriageTargetError = 'unknown_area' | 'unknown_tag' | 'unknown_assignee';

/** An area a post may be moved to: it exists and is not archived. */
export async function requireActiveArea(trx: Transaction<Database>, areaId: string): Promise<void> {
  const area = await trx
    .selectFrom('product_area')
    .select('id')
    .where('id', '=', areaId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!area) throw new DomainError<TriageTargetError>('unknown_area', 'productAreaId');
}

/** Tags a post may be given: each exists and is not archived. */
export async function requireActiveTags(trx: Transaction<Database>, tagIds: readonly string[], field = 'tagIds'): Promise<void> {
  if (tagIds.length === 0) return;
  const found = await trx
    .selectFrom('tag')
    .select('id')
    .where('id', 'in', [...tagIds])
    .where('archived_at', 'is', null)
    .execute();
  if (found.length !== new Set(tagIds).size) throw new DomainError<TriageTargetError>('unknown_tag', field);
}

/** Someone a post may be assigned to: an active account holding a triage role. */
export async function requireAssignableTriager(trx: Transaction<Database>, userId: string): Promise<void> {
  const triager = await trx
    .selectFrom('app_user')
    .select('app_user.id')
    .where('app_user.id', '=', userId)
    .where('app_user.disabled_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_role')
          .select('user_role.user_id')
          .whereRef('user_role.user_id', '=', 'app_user.id')
          .where('user_role.role', 'in', TRIAGE_ROLES),
      ),
    )
    .executeTakeFirst();
  if (!triager) throw new DomainError<TriageTargetError>('unknown_assignee', 'assigneeId');
}
