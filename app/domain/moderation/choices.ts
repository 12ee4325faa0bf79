// What the report and moderation forms offer and the use-cases enforce.
// Client-safe: forms import it, so the reasons are spelled out here and tied
// to db/schema.ts by type only (STYLE.md, Layout).
import { z } from 'zod';
import type { ReportReason } from '../../../db/schema.js';

export const REPORT_REASON_CHOICES = ['spam', 'abuse', 'identifying', 'off_topic', 'other'] as const satisfies readonly ReportReason[];

export const MODERATION_LIMITS = {
  /** A reporter's note to the moderators. */
  reportNoteMax: 500,
  /** Why an item was hidden or restored: shown to its author. */
  reasonMax: 500,
  /** A moderator's note when dismissing reports. */
  dismissNoteMax: 1000,
} as const;

// Messages are translation keys, so a route shows a use-case's refusal as it is.
export const ReportReasonSchema = z.enum(REPORT_REASON_CHOICES, { error: 'moderation.errors.reasonRequired' });

export const ReportNoteSchema = z
  .string()
  .trim()
  .max(MODERATION_LIMITS.reportNoteMax, { error: `common.errors.tooLong?max=${MODERATION_LIMITS.reportNoteMax}` })
  .optional()
  .transform((note) => note || undefined);

export const ModerationReasonSchema = z
  .string({ error: 'moderation.errors.explainRequired' })
  .trim()
  .min(1, { error: 'moderation.errors.explainRequired' })
  .max(MODERATION_LIMITS.reasonMax, { error: `common.errors.tooLong?max=${MODERATION_LIMITS.reasonMax}` });

export const DismissNoteSchema = z
  .string()
  .trim()
  .max(MODERATION_LIMITS.dismissNoteMax, { error: `common.errors.tooLong?max=${MODERATION_LIMITS.dismissNoteMax}` })
  .optional()
  .transform((note) => note || undefined);

export const ItemIdSchema = z
  .string({ error: 'moderation.errors.unknownItem' })
  .min(1, { error: 'moderation.errors.unknownItem' })
  .max(64, { error: 'moderation.errors.unknownItem' });

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const everyReasonListed: Missing<ReportReason, (typeof REPORT_REASON_CHOICES)[number]> = true;
void everyReasonListed;
