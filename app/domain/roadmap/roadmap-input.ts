// The fields and choices of roadmap forms. Client-safe: the manage page and
// its browser bundle import this file, so it is tied to db/schema.ts by type
// only. Messages are translation keys, so a route shows a use-case's refusal
// as it is.
import { z } from 'zod';
import type { RoadmapStatus } from '../../../db/schema.js';
import { STATUS_NOTE_MAX_LENGTH } from '../triage/transitions.js';

export const ROADMAP_LIMITS = {
  titleMax: 200,
  descriptionMax: 10_000,
  /** The public note shipping writes on each post's timeline. */
  shipNoteMax: STATUS_NOTE_MAX_LENGTH,
} as const;

/** The columns an item can be moved between by hand; shipped is reached only by shipping, and is final. */
export const OPEN_ROADMAP_STATUSES = ['planned', 'in_progress'] as const satisfies readonly RoadmapStatus[];
export type OpenRoadmapStatus = (typeof OPEN_ROADMAP_STATUSES)[number];

export const RoadmapTitleSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .min(1, { error: 'common.errors.required' })
  .max(ROADMAP_LIMITS.titleMax, { error: `common.errors.tooLong?max=${ROADMAP_LIMITS.titleMax}` });

/** Markdown; an empty form field arrives as undefined and means no description. */
export const RoadmapDescriptionSchema = z
  .string()
  .max(ROADMAP_LIMITS.descriptionMax, { error: `common.errors.tooLong?max=${ROADMAP_LIMITS.descriptionMax}` })
  .optional()
  .transform((description) => description?.trim() ?? '');

export const ShipNoteSchema = z
  .string()
  .trim()
  .max(ROADMAP_LIMITS.shipNoteMax, { error: `common.errors.tooLong?max=${ROADMAP_LIMITS.shipNoteMax}` })
  .optional()
  .transform((note) => note || undefined);

export const RoadmapIdSchema = z.string({ error: 'roadmap.errors.unknownAction' }).min(1).max(64, { error: 'roadmap.errors.unknownAction' });

/** The item version a form was rendered from: an edit names it, and a stale one is refused. */
export const RoadmapVersionSchema = z.number({ error: 'roadmap.errors.unknownAction' }).int().min(1);

export const OpenRoadmapStatusSchema = z.enum(OPEN_ROADMAP_STATUSES, { error: 'roadmap.errors.unknownAction' });
