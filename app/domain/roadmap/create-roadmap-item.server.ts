import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { requireTriager } from '../triage/triage-roles.js';
import { lockRoadmapOrder, nextPositionIn } from './lock-roadmap-item.server.js';
import { OpenRoadmapStatusSchema, RoadmapDescriptionSchema, RoadmapTitleSchema } from './roadmap-input.js';

export const CreateRoadmapItemInputSchema = z.object({
  title: RoadmapTitleSchema,
  description: RoadmapDescriptionSchema,
  status: OpenRoadmapStatusSchema.default('planned'),
});
export type CreateRoadmapItemInput = z.input<typeof CreateRoadmapItemInputSchema>;

/** A new item at the bottom of its column (planned unless said otherwise), audited. */
export async function createRoadmapItem(
  db: Kysely<Database>,
  actor: Actor,
  input: CreateRoadmapItemInput,
): Promise<{ itemId: string }> {
  requireTriager(actor);
  const value = CreateRoadmapItemInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await lockRoadmapOrder(trx);
    const id = randomId();
    await trx
      .insertInto('roadmap_item')
      .values({
        id,
        title: value.title,
        description: value.description,
        // Rendered once, when written (decision 0010): pages insert it as is.
        description_html: renderMarkdown(value.description),
        status: value.status,
        position: await nextPositionIn(trx, value.status),
        shipped_at: null,
        created_by: actor.id,
      })
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.create',
      subjectType: 'roadmap_item',
      subjectId: id,
      after: { title: value.title, description: value.description, status: value.status },
    });
    return { itemId: id };
  });
}
