import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from './actor.server.js';

export const ListDevMailInputSchema = z.object({
  /** The id of the last mail on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ListDevMailInput = z.input<typeof ListDevMailInputSchema>;

export interface DevMail {
  id: string;
  to: string;
  subject: string;
  body: string;
  createdAt: Date;
}

/**
 * Mail kept in the database because no SMTP server is configured (embedded
 * and development only), newest first. Admin only: these mails hold
 * addresses and live links.
 */
export async function listDevMail(
  db: Kysely<Database>,
  actor: Actor,
  input: ListDevMailInput = {},
): Promise<{ mails: DevMail[]; nextAfter: string | null }> {
  requireRole(actor, 'admin');
  const { after, limit } = ListDevMailInputSchema.parse(input);
  let query = db
    .selectFrom('dev_mail')
    .select(['id', 'to_address', 'subject', 'text_body', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) {
    query = query.where(
      sql<boolean>`(dev_mail.created_at, dev_mail.id) < (SELECT c.created_at, c.id FROM dev_mail c WHERE c.id = ${after})`,
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    mails: page.map((row) => ({
      id: row.id,
      to: row.to_address,
      subject: row.subject,
      body: row.text_body,
      createdAt: row.created_at,
    })),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
