import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { type Actor, isUniqueViolation, requireRole } from './actor.server.js';
import { TIER_CHOICES } from './choices.js';
import { normaliseOrgDomain, orgDomainProblem } from './org-domain.js';

export const CreateOrgInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  valueTier: z.enum(TIER_CHOICES),
  /** Optional first email domain, so sign-ups can start right away. */
  domain: z.string().max(253).optional(),
});
export type CreateOrgInput = z.input<typeof CreateOrgInputSchema>;

export type CreateOrgError = 'forbidden' | 'name_taken' | 'domain_invalid' | 'domain_public' | 'domain_taken';

/** Registers a customer org (admin only). */
export async function createOrg(db: Kysely<Database>, actor: Actor, input: CreateOrgInput): Promise<{ orgId: string }> {
  requireRole(actor, 'admin');
  const { name, valueTier, domain: rawDomain } = CreateOrgInputSchema.parse(input);
  const domain = rawDomain ? normaliseOrgDomain(rawDomain) : undefined;
  if (domain) {
    const problem = orgDomainProblem(domain);
    if (problem) throw new DomainError<CreateOrgError>(problem, 'domain');
  }
  const id = randomId();
  try {
    await db.transaction().execute(async (trx) => {
      const sameName = await trx
        .selectFrom('org')
        .select('id')
        .where(sql`lower(name)`, '=', name.toLowerCase())
        .executeTakeFirst();
      if (sameName) throw new DomainError<CreateOrgError>('name_taken', 'name', 409);
      if (domain) {
        const owner = await trx.selectFrom('org_domain').select('org_id').where('domain', '=', domain).executeTakeFirst();
        if (owner) throw new DomainError<CreateOrgError>('domain_taken', 'domain', 409);
      }
      await trx.insertInto('org').values({ id, name, value_tier: valueTier }).execute();
      if (domain) await trx.insertInto('org_domain').values({ domain, org_id: id }).execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'org.create',
        subjectType: 'org',
        subjectId: id,
        after: { name, valueTier, domains: domain ? [domain] : [] },
      });
    });
  } catch (error) {
    // Both unique columns were checked above; a concurrent insert can still win.
    if (isUniqueViolation(error)) {
      const onDomain = String((error as { constraint?: unknown }).constraint ?? '').startsWith('org_domain');
      throw onDomain
        ? new DomainError<CreateOrgError>('domain_taken', 'domain', 409)
        : new DomainError<CreateOrgError>('name_taken', 'name', 409);
    }
    throw error;
  }
  return { orgId: id };
}
