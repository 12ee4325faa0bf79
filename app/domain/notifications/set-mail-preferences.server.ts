import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomSecret } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { DEFAULT_MAIL_PREFERENCES, type MailPreferences, MailPreferencesSchema } from './mail-preferences.js';

export type SetMailPreferencesError = 'unsubscribe_not_found';

/** A signed-in member changes which notifications also come by mail (/settings). */
export async function setMailPreferences(
  db: Kysely<Database>,
  actor: Pick<Actor, 'id'>,
  input: MailPreferences,
): Promise<MailPreferences> {
  const choice = MailPreferencesSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('mail_preference')
      .select(['replies', 'status_changes'])
      .where('user_id', '=', actor.id)
      .forUpdate()
      .executeTakeFirst();
    await trx
      .insertInto('mail_preference')
      .values({ user_id: actor.id, replies: choice.replies, status_changes: choice.statusChanges, unsubscribe_token: randomSecret() })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ replies: choice.replies, status_changes: choice.statusChanges, updated_at: sql<Date>`now()` }),
      )
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'mail_preference.update',
      subjectType: 'user',
      subjectId: actor.id,
      before: before ? { replies: before.replies, statusChanges: before.status_changes } : DEFAULT_MAIL_PREFERENCES,
      after: choice,
    });
    return choice;
  });
}

/**
 * The same through an unsubscribe link, without logging in: the unguessable
 * token is the authority. An unknown token changes nothing (404).
 */
export async function setMailPreferencesByToken(db: Kysely<Database>, token: string, input: MailPreferences): Promise<MailPreferences> {
  const choice = MailPreferencesSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('mail_preference')
      .select(['user_id', 'replies', 'status_changes'])
      .where('unsubscribe_token', '=', token)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new DomainError<SetMailPreferencesError>('unsubscribe_not_found', undefined, 404);
    await trx
      .updateTable('mail_preference')
      .set({ replies: choice.replies, status_changes: choice.statusChanges, updated_at: sql<Date>`now()` })
      .where('user_id', '=', before.user_id)
      .execute();
    await writeAudit(trx, {
      actorId: null,
      action: 'mail_preference.update',
      subjectType: 'user',
      subjectId: before.user_id,
      before: { replies: before.replies, statusChanges: before.status_changes },
      after: { ...choice, via: 'unsubscribe-link' },
    });
    return choice;
  });
}
