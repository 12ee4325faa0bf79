import type { Kysely } from 'kysely';
import type { Database, PostStatus } from '../../../db/schema.js';

export interface StatusTimelineEntry {
  id: string;
  from: PostStatus;
  to: PostStatus;
  /**
   * Who on the vendor side made the change, by staff display name (null when
   * they have none; the page says "Product team"), or the system (shipping
   * a roadmap item from a job). Never a member's pseudonym or anyone's name.
   */
  by: { kind: 'staff'; name: string | null } | { kind: 'system' };
  /** The exact moment (ISO): staff actions are shown to the minute, like official replies. */
  at: string;
  note: string | null;
}

/** Every status change of a post, oldest first: its public timeline. */
export async function listStatusTimeline(db: Kysely<Database>, postId: string): Promise<StatusTimelineEntry[]> {
  const rows = await db
    .selectFrom('post_status_change as change')
    .leftJoin('app_user as actor', 'actor.id', 'change.actor_id')
    .select([
      'change.id',
      'change.from_status',
      'change.to_status',
      'change.actor_id',
      'change.note',
      'change.created_at',
      'actor.staff_display_name',
    ])
    .where('change.post_id', '=', postId)
    .orderBy('change.created_at')
    .orderBy('change.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    from: row.from_status,
    to: row.to_status,
    by: row.actor_id === null ? { kind: 'system' } : { kind: 'staff', name: row.staff_display_name },
    at: new Date(row.created_at).toISOString(),
    note: row.note,
  }));
}
