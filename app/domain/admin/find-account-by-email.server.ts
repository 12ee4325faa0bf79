import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Role } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { emailLookup, type VaultKeys } from '../identity/vault.server.js';
import { type Actor, requireRole } from './actor.server.js';

export const FindAccountByEmailInputSchema = z.object({ email: z.email().max(254) });
export type FindAccountByEmailInput = z.input<typeof FindAccountByEmailInputSchema>;

export interface FoundAccount {
  id: string;
  pseudonym: string;
  pseudonymZh: string;
  /** Decides which roles may be granted: org_admin, or staff roles. */
  isOrgMember: boolean;
  roles: Role[];
}

/**
 * Finds an account by its exact email, through the keyed hash (the address is
 * stored nowhere in clear), so an admin can grant it a role. Admin only.
 * Linking an address to a pseudonym is exactly what pseudonymity guards, so
 * every lookup is audited, found or not; the address itself is not recorded.
 */
export async function findAccountByEmail(
  db: Kysely<Database>,
  keys: VaultKeys,
  actor: Actor,
  input: FindAccountByEmailInput,
): Promise<FoundAccount | undefined> {
  requireRole(actor, 'admin');
  const { email } = FindAccountByEmailInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('app_user')
      .select([
        'app_user.id',
        'app_user.pseudonym',
        'app_user.pseudonym_zh',
        'app_user.org_id',
        (eb) =>
          eb
            .selectFrom('user_role')
            .select(sql<Role[]>`array_agg(user_role.role ORDER BY user_role.role)`.as('roles'))
            .whereRef('user_role.user_id', '=', 'app_user.id')
            .as('roles'),
      ])
      .where('app_user.email_lookup', '=', emailLookup(keys, email))
      .executeTakeFirst();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'user.lookup_by_email',
      subjectType: 'user',
      subjectId: row?.id ?? null,
      after: { found: Boolean(row) },
    });
    if (!row) return undefined;
    return {
      id: row.id,
      pseudonym: row.pseudonym,
      pseudonymZh: row.pseudonym_zh,
      isOrgMember: row.org_id !== null,
      roles: row.roles ?? [],
    };
  });
}
