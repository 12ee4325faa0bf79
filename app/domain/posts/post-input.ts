import { z } from 'zod';
import { POST_LIMITS, POST_TYPE_CHOICES } from './choices.js';

// The fields a member writes, shared by createPost and editPost. Messages are
// translation keys so a route can show a use-case's refusal as it is.
export const PostTitleSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .min(1, { error: 'common.errors.required' })
  .max(POST_LIMITS.titleMax, { error: `common.errors.tooLong?max=${POST_LIMITS.titleMax}` });

export const PostBodySchema = z
  .string({ error: 'common.errors.required' })
  .refine((body) => body.trim().length > 0, { error: 'common.errors.required' })
  .refine((body) => body.length <= POST_LIMITS.bodyMax, { error: `common.errors.tooLong?max=${POST_LIMITS.bodyMax}` });

const optionalCount = (max: number) =>
  z
    .number({ error: 'posts.errors.wholeNumber' })
    .int({ error: 'posts.errors.wholeNumber' })
    .min(0, { error: `posts.errors.range?max=${max}` })
    .max(max, { error: `posts.errors.range?max=${max}` })
    .optional();

export const PostImpactShape = {
  impactHoursPerWeek: optionalCount(POST_LIMITS.hoursMax),
  impactSites: optionalCount(POST_LIMITS.sitesMax),
  impactNote: z
    .string()
    .trim()
    .max(POST_LIMITS.noteMax, { error: `common.errors.tooLong?max=${POST_LIMITS.noteMax}` })
    .optional()
    .transform((note) => note || undefined),
};

export const PostTypeSchema = z.enum(POST_TYPE_CHOICES, { error: 'posts.errors.typeRequired' });
