import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Role } from '../../../db/schema.js';
import { DomainError } from '../errors.js';
import type { Actor } from './actor.server.js';

export const ListInvitesInputSchema = z.object({
  /** Only invites into this org; an org admin always gets their own org's. */
  orgId: z.string().max(64).optional(),
  /** The id of the last invite on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListInvitesInput = z.input<typeof ListInvitesInputSchema>;

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InviteSummary {
  id: string;
  /** The masked address ("j•••@acme.com"); the address itself is never stored. */
  emailHint: string;
  orgId: string | null;
  orgName: string | null;
  roles: Role[];
  status: InviteStatus;
  createdAt: Date;
  expiresAt: Date;
  /** The inviter's pseudonym, in English and Chinese. */
  invitedBy: string;
  invitedByZh: string;
}

export function inviteStatus(
  row: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date },
  now = new Date(),
): InviteStatus {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'pending';
}

/**
 * Invites, newest first, one page at a time. Admins see every invite (or one
 * org's); an org admin only those into their own org, scoped in the query.
 */
export async function listInvites(
  db: Kysely<Database>,
  actor: Actor,
  input: ListInvitesInput = {},
): Promise<{ invites: InviteSummary[]; nextAfter: string | null }> {
  const { orgId, after, limit } = ListInvitesInputSchema.parse(input);
  const isAdmin = actor.roles.includes('admin');
  if (!isAdmin && (!actor.roles.includes('org_admin') || !actor.orgId)) throw new DomainError('forbidden', undefined, 403);
  if (!isAdmin && orgId !== undefined && orgId !== actor.orgId) throw new DomainError('forbidden', undefined, 403);
  const scope = isAdmin ? orgId : actor.orgId;

  let query = db
    .selectFrom('invite')
    .leftJoin('org', 'org.id', 'invite.org_id')
    .innerJoin('app_user as inviter', 'inviter.id', 'invite.created_by')
    .select([
      'invite.id',
      'invite.email_hint',
      'invite.org_id',
      'org.name as org_name',
      'invite.roles',
      'invite.created_at',
      'invite.expires_at',
      'invite.accepted_at',
      'invite.revoked_at',
      'inviter.pseudonym as invited_by',
      'inviter.pseudonym_zh as invited_by_zh',
    ])
    .orderBy('invite.created_at', 'desc')
    .orderBy('invite.id', 'desc')
    .limit(limit + 1);
  if (scope) query = query.where('invite.org_id', '=', scope);
  if (after) {
    // Keyset on (created_at, id) read from the cursor row itself, so the
    // database's microseconds never pass through a JavaScript Date.
    query = query.where(
      sql<boolean>`(invite.created_at, invite.id) < (SELECT c.created_at, c.id FROM invite c WHERE c.id = ${after})`,
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const now = new Date();
  return {
    invites: page.map((row) => ({
      id: row.id,
      emailHint: row.email_hint,
      orgId: row.org_id,
      orgName: row.org_name,
      roles: row.roles,
      status: inviteStatus(row, now),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      invitedBy: row.invited_by,
      invitedByZh: row.invited_by_zh,
    })),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
