import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { type Actor, isUniqueViolation, requireRole } from './actor.server.js';
import { normaliseOrgDomain, orgDomainProblem } from './org-domain.js';

export const AddOrgDomainInputSchema = z.object({
  orgId: z.string().max(64),
  domain: z.string().max(300),
});
export type AddOrgDomainInput = z.input<typeof AddOrgDomainInputSchema>;

export type AddOrgDomainError = 'forbidden' | 'org_not_found' | 'domain_invalid' | 'domain_public' | 'domain_taken';

/**
 * Registers an email domain to an org (admin only): whoever verifies an
 * address at it may sign up as a member of that org. A domain belongs to at
 * most one org.
 */
export async function addOrgDomain(
  db: Kysely<Database>,
  actor: Actor,
  input: AddOrgDomainInput,
): Promise<{ domain: string }> {
  requireRole(actor, 'admin');
  const parsed = AddOrgDomainInputSchema.parse(input);
  const domain = normaliseOrgDomain(parsed.domain);
  const problem = orgDomainProblem(domain);
  if (problem) throw new DomainError<AddOrgDomainError>(problem, 'domain');
  try {
    await db.transaction().execute(async (trx) => {
      const org = await trx.selectFrom('org').select('id').where('id', '=', parsed.orgId).executeTakeFirst();
      if (!org) throw new DomainError<AddOrgDomainError>('org_not_found', undefined, 404);
      const owner = await trx.selectFrom('org_domain').select('org_id').where('domain', '=', domain).executeTakeFirst();
      if (owner) throw new DomainError<AddOrgDomainError>('domain_taken', 'domain', 409);
      await trx.insertInto('org_domain').values({ domain, org_id: parsed.orgId }).execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'org.domain.add',
        subjectType: 'org',
        subjectId: parsed.orgId,
        after: { domain },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError<AddOrgDomainError>('domain_taken', 'domain', 409);
    throw error;
  }
  return { domain };
}
