import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { requireTriager } from '../triage/triage-roles.js';
import { lockRoadmapItem } from './lock-roadmap-item.server.js';
import { RoadmapDescriptionSchema, RoadmapIdSchema, RoadmapTitleSchema, RoadmapVersionSchema } from './roadmap-input.js';

export const EditRoadmapItemInputSchema = z.object({
  itemId: RoadmapIdSchema,
  version: RoadmapVersionSchema,
  title: RoadmapTitleSchema,
  description: RoadmapDescriptionSchema,
});
export type EditRoadmapItemInput = z.input<typeof EditRoadmapItemInputSchema>;

/**
 * Rewrites an item's title and description (a shipped one too: a changelog
 * entry may need a typo fixed). Refused with "changed meanwhile" when the
 * item moved on since the editor's form was rendered.
 */
export async function editRoadmapItem(db: Kysely<Database>, actor: Actor, input: EditRoadmapItemInput): Promise<void> {
  requireTriager(actor);
  const value = EditRoadmapItemInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const item = await lockRoadmapItem(trx, value.itemId, value.version);
    if (item.title === value.title && item.description === value.description) return;
    await trx
      .updateTable('roadmap_item')
      .set((eb) => ({
        title: value.title,
        description: value.description,
        description_html: renderMarkdown(value.description),
        version: eb('version', '+', 1),
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', item.id)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.edit',
      subjectType: 'roadmap_item',
      subjectId: item.id,
      before: { title: item.title, description: item.description },
      after: { title: value.title, description: value.description },
    });
  });
}
