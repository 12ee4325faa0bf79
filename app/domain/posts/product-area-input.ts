import { z } from 'zod';

export const AreaNameSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .min(1, { error: 'common.errors.required' })
  .max(80, { error: 'common.errors.tooLong?max=80' });

export const AreaSlugSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]{1,40}$/, { error: 'posts.errors.slug_invalid' });
