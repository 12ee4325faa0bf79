// Factories shared by the demo seed and the tests: they go through the same
// domain code (vault, pseudonyms, password hashing) as real sign-ups.
import type { Kysely } from 'kysely';
import { insertUserWithPseudonym } from '../app/domain/accounts/sign-up.server.js';
import { hashPassword } from '../app/domain/identity/password.server.js';
import { emailLookup, storeIdentityProfile, type VaultKeys } from '../app/domain/identity/vault.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import { renderMarkdown } from '../app/domain/content/markdown.server.js';
import { hotRank } from '../app/domain/posts/hot-rank.js';
import type { Database, PostStatus, PostType, Role, ValueTier } from './schema.js';

export async function createOrg(
  db: Kysely<Database>,
  input: { name: string; valueTier?: ValueTier; domains?: string[] },
): Promise<string> {
  const id = randomId();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('org').values({ id, name: input.name, value_tier: input.valueTier ?? 'standard' }).execute();
    for (const domain of input.domains ?? []) {
      await trx.insertInto('org_domain').values({ domain, org_id: id }).execute();
    }
  });
  return id;
}

export interface CreatedUser {
  id: string;
  pseudonym: string;
  email: string;
  password: string;
}

export async function createUser(
  db: Kysely<Database>,
  keys: VaultKeys,
  input: {
    email: string;
    name: string;
    password: string;
    orgId?: string | null;
    roles?: Role[];
    staffDisplayName?: string;
    locale?: 'en' | 'zh-CN';
    verified?: boolean;
  },
): Promise<CreatedUser> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const id = await insertUserWithPseudonym(trx, {
      lookup: emailLookup(keys, input.email),
      passwordHash,
      orgId: input.orgId ?? null,
      locale: input.locale ?? 'en',
      verified: input.verified ?? true,
    });
    if (input.staffDisplayName) {
      await trx.updateTable('app_user').set({ staff_display_name: input.staffDisplayName }).where('id', '=', id).execute();
    }
    await storeIdentityProfile(trx, keys, id, { name: input.name, email: input.email.toLowerCase() });
    if (input.roles?.length) {
      await trx
        .insertInto('user_role')
        .values(input.roles.map((role) => ({ user_id: id, role, granted_by: null })))
        .execute();
    }
    const { pseudonym } = await trx.selectFrom('app_user').select('pseudonym').where('id', '=', id).executeTakeFirstOrThrow();
    return { id, pseudonym, email: input.email, password: input.password };
  });
}

export async function createProductArea(
  db: Kysely<Database>,
  input: { slug: string; nameEn: string; nameZh: string; position?: number },
): Promise<string> {
  const id = randomId();
  await db
    .insertInto('product_area')
    .values({ id, slug: input.slug, name_en: input.nameEn, name_zh: input.nameZh, position: input.position ?? 0 })
    .execute();
  return id;
}

/** A post as if written through the form, for tests and the demo seed. */
export async function createPostRow(
  db: Kysely<Database>,
  input: {
    authorId: string;
    productAreaId: string;
    type?: PostType;
    title: string;
    body?: string;
    status?: PostStatus;
    createdAt?: Date;
    impactHoursPerWeek?: number;
    impactSites?: number;
  },
): Promise<string> {
  const id = randomId();
  const body = input.body ?? `${input.title}.`;
  const createdAt = input.createdAt ?? new Date();
  await db
    .insertInto('post')
    .values({
      id,
      author_id: input.authorId,
      type: input.type ?? 'request',
      product_area_id: input.productAreaId,
      title: input.title,
      body,
      body_html: renderMarkdown(body),
      impact_hours_per_week: input.impactHoursPerWeek ?? null,
      impact_sites: input.impactSites ?? null,
      impact_note: null,
      status: input.status ?? 'open',
      merged_into_id: null,
      triaged_at: input.status && input.status !== 'open' ? createdAt : null,
      hidden_at: null,
      hidden_reason: null,
      submission_key: randomId(),
      hot_rank: hotRank(0, createdAt),
      created_at: createdAt,
    })
    .execute();
  await db.insertInto('follow').values({ post_id: id, user_id: input.authorId }).execute();
  return id;
}
