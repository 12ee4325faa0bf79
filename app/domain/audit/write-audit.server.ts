import type { Kysely, Transaction } from 'kysely';
import { isDomainError } from '../errors.js';
import type { Database } from '../../../db/schema.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one audit row. Takes the transaction of the change it records, so the
 * change and its audit row commit or roll back together. Never put a vault
 * field (name, email, payout details) in before/after.
 */
export async function writeAudit(
  executor: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
): Promise<void> {
  await executor
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

/**
 * A refused money action leaves a trace: the refused transaction rolled
 * back, then a `<action>_refused` audit row with the reason code is written
 * on its own, and the refusal is rethrown.
 */
export async function auditRefusal<T>(
  db: Kysely<Database>,
  actor: { id: string },
  action: string,
  subject: { type: string; id: string },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error)) {
      await writeAudit(db, { actorId: actor.id, action: `${action}_refused`, subjectType: subject.type, subjectId: subject.id, after: { code: error.code } });
    }
    throw error;
  }
}
