// The post choices forms and filters offer. Client-safe: routes and their
// browser bundle may import this file, but never db/ (STYLE.md, Layout), so
// the lists are spelled out here and tied to db/schema.ts by type only.
import type { PostStatus, PostType } from '../../../db/schema.js';

export const POST_TYPE_CHOICES = ['complaint', 'request'] as const satisfies readonly PostType[];

export const POST_STATUS_CHOICES = [
  'open',
  'under_review',
  'planned',
  'in_progress',
  'shipped',
  'declined',
  'merged',
] as const satisfies readonly PostStatus[];

export const FEED_SORTS = ['trending', 'top', 'newest', 'orgs'] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

/** The limits the compose form states and the use-cases enforce. */
export const POST_LIMITS = {
  titleMax: 200,
  bodyMax: 20_000,
  hoursMax: 10_000,
  sitesMax: 10_000_000,
  noteMax: 500,
} as const;

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const everyTypeListed: Missing<PostType, (typeof POST_TYPE_CHOICES)[number]> = true;
const everyStatusListed: Missing<PostStatus, (typeof POST_STATUS_CHOICES)[number]> = true;
void [everyTypeListed, everyStatusListed];
