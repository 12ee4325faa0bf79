import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { type Actor, requireRole } from './actor.server.js';

export const SetStaffDisplayNameInputSchema = z.object({
  userId: z.string().max(64),
  /** Empty clears it; official replies then show the pseudonym. */
  staffDisplayName: z.string().trim().max(60).default(''),
});
export type SetStaffDisplayNameInput = z.input<typeof SetStaffDisplayNameInputSchema>;

export type SetStaffDisplayNameError = 'forbidden' | 'account_not_found' | 'not_staff';

/**
 * Sets the name a vendor staff account signs official replies with (admin
 * only). Customer accounts never get one: a name would undo their pseudonym.
 */
export async function setStaffDisplayName(
  db: Kysely<Database>,
  actor: Actor,
  input: SetStaffDisplayNameInput,
): Promise<void> {
  requireRole(actor, 'admin');
  const { userId, staffDisplayName } = SetStaffDisplayNameInputSchema.parse(input);
  const next = staffDisplayName === '' ? null : staffDisplayName;
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('app_user')
      .select(['org_id', 'staff_display_name'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw new DomainError<SetStaffDisplayNameError>('account_not_found', undefined, 404);
    if (user.org_id !== null) throw new DomainError<SetStaffDisplayNameError>('not_staff', 'staffDisplayName');
    if (user.staff_display_name === next) return;
    await trx.updateTable('app_user').set({ staff_display_name: next }).where('id', '=', userId).execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'user.staff_display_name',
      subjectType: 'user',
      subjectId: userId,
      before: { staffDisplayName: user.staff_display_name },
      after: { staffDisplayName: next },
    });
  });
}
