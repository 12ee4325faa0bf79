import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { POST_LIMITS } from './choices.js';
import { detectIdentifyingText, type IdentifyingKind } from './detect-identifying-text.js';
import { listIdentifyingTerms } from './list-identifying-terms.server.js';

// A draft as a form sent it, valid or not: a missing field is empty, and an
// oversized paste is cut at twice its limit so checking it costs little.
const text = (max: number) =>
  z
    .string()
    .catch('')
    .transform((value) => value.slice(0, max * 2));
const DraftSchema = z.object({
  title: text(POST_LIMITS.titleMax),
  body: text(POST_LIMITS.bodyMax),
  impactNote: text(POST_LIMITS.noteMax),
});

export interface DraftReview {
  draft: z.output<typeof DraftSchema>;
  /** The body rendered and sanitised as it will be shown; null unless a preview was asked for. */
  previewHtml: string | null;
  /** What in the text could identify its author (warned about, never blocked). */
  warnings: IdentifyingKind[];
}

/**
 * What the compose and edit pages show about a draft before it is saved: the
 * preview, and the warnings when the text names the author's email, phone,
 * org, tickets or sites. The org's name and domains are read here and never
 * sent to the browser; only the kinds found are.
 */
export async function reviewDraft(
  db: Kysely<Database>,
  author: Pick<Actor, 'orgId'>,
  fields: Record<string, unknown>,
  { preview }: { preview: boolean },
): Promise<DraftReview> {
  const draft = DraftSchema.parse(fields);
  const orgTerms = await listIdentifyingTerms(db, author);
  return {
    draft,
    previewHtml: preview ? renderMarkdown(draft.body.slice(0, POST_LIMITS.bodyMax)) : null,
    warnings: detectIdentifyingText([draft.title, draft.body, draft.impactNote].join('\n'), orgTerms),
  };
}
