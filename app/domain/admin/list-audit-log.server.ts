import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from './actor.server.js';

export const ListAuditLogInputSchema = z.object({
  /** Show entries older than this id (the last id of the previous page). */
  before: z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListAuditLogInput = z.input<typeof ListAuditLogInputSchema>;

export interface AuditEntryView {
  id: string;
  /** Null for the system (a worker, a sign-up before login). */
  actorPseudonym: string | null;
  actorPseudonymZh: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

/**
 * The audit log, newest first, keyset-paged on its id (bigserial, so id order
 * is insertion order). Auditor only. Rows never hold a vault field, so this
 * shows pseudonyms and ids, never a name or an email.
 */
export async function listAuditLog(
  db: Kysely<Database>,
  actor: Actor,
  input: ListAuditLogInput = {},
): Promise<{ entries: AuditEntryView[]; nextBefore: string | null }> {
  requireRole(actor, 'auditor');
  const { before, limit } = ListAuditLogInputSchema.parse(input);
  let query = db
    .selectFrom('audit_log')
    .leftJoin('app_user as actor', 'actor.id', 'audit_log.actor_id')
    .select([
      'audit_log.id',
      'actor.pseudonym as actor_pseudonym',
      'actor.pseudonym_zh as actor_pseudonym_zh',
      'audit_log.action',
      'audit_log.subject_type',
      'audit_log.subject_id',
      'audit_log.before',
      'audit_log.after',
      'audit_log.created_at',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(limit + 1);
  if (before) query = query.where('audit_log.id', '<', before);
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      actorPseudonym: row.actor_pseudonym,
      actorPseudonymZh: row.actor_pseudonym_zh,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      before: row.before,
      after: row.after,
      createdAt: row.created_at,
    })),
    nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
