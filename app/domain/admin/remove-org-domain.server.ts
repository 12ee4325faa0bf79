import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { type Actor, requireRole } from './actor.server.js';
import { normaliseOrgDomain } from './org-domain.js';

export const RemoveOrgDomainInputSchema = z.object({
  orgId: z.string().max(64),
  domain: z.string().max(300),
});
export type RemoveOrgDomainInput = z.input<typeof RemoveOrgDomainInputSchema>;

export type RemoveOrgDomainError = 'forbidden' | 'domain_not_found';

/**
 * Unregisters an email domain (admin only). Existing members stay in the
 * org; only new sign-ups at that domain stop joining it.
 */
export async function removeOrgDomain(db: Kysely<Database>, actor: Actor, input: RemoveOrgDomainInput): Promise<void> {
  requireRole(actor, 'admin');
  const { orgId, domain: rawDomain } = RemoveOrgDomainInputSchema.parse(input);
  const domain = normaliseOrgDomain(rawDomain);
  await db.transaction().execute(async (trx) => {
    // The org is part of the key, so a stale form cannot remove another org's domain.
    const removed = await trx
      .deleteFrom('org_domain')
      .where('domain', '=', domain)
      .where('org_id', '=', orgId)
      .returning('domain')
      .executeTakeFirst();
    if (!removed) throw new DomainError<RemoveOrgDomainError>('domain_not_found', 'domain', 404);
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'org.domain.remove',
      subjectType: 'org',
      subjectId: orgId,
      before: { domain },
    });
  });
}
