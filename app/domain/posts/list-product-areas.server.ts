import { type Kysely, sql } from 'kysely';
import type { Database, Locale } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';

export interface ProductAreaOption {
  id: string;
  name: string;
}

/** Active product areas in their set order, named in the reader's language. */
export async function listProductAreas(db: Kysely<Database>, locale: Locale): Promise<ProductAreaOption[]> {
  const rows = await db
    .selectFrom('product_area')
    .select(['id', locale === 'zh-CN' ? 'name_zh as name' : 'name_en as name'])
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('name_en')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name }));
}

export interface ProductAreaSummary {
  id: string;
  slug: string;
  nameEn: string;
  nameZh: string;
  archived: boolean;
  postCount: number;
}

/** Every area, archived ones last, with how many posts each holds (product admins). */
export async function listProductAreasForAdmin(db: Kysely<Database>, actor: Actor): Promise<ProductAreaSummary[]> {
  requireRole(actor, 'product_admin');
  const rows = await db
    .selectFrom('product_area')
    .select([
      'product_area.id',
      'product_area.slug',
      'product_area.name_en',
      'product_area.name_zh',
      'product_area.archived_at',
      (eb) =>
        eb
          .selectFrom('post')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('post.product_area_id', '=', 'product_area.id')
          .as('post_count'),
    ])
    // Areas are a short, hand-made list (dozens), so no paging.
    .orderBy(sql`archived_at IS NOT NULL`)
    .orderBy('position')
    .orderBy('name_en')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    nameEn: row.name_en,
    nameZh: row.name_zh,
    archived: row.archived_at !== null,
    postCount: row.post_count ?? 0,
  }));
}
