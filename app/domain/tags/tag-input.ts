import { z } from 'zod';
import { TAG_COLOR_CHOICES } from './choices.js';

// The limits match the tag table's CHECK constraints (migration 0004).
export const TagSlugSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]{1,40}$/, { error: 'triage.tags.errors.slug_invalid' });

export const TagNameSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .min(1, { error: 'common.errors.required' })
  .max(60, { error: 'common.errors.tooLong?max=60' });

export const TagColorSchema = z.enum(TAG_COLOR_CHOICES, { error: 'triage.tags.errors.color_invalid' });
