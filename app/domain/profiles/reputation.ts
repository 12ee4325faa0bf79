// How reputation and badges are earned. Client-safe: the profile and the
// leaderboard explain the rule with the same numbers the queries use.
import type { PostStatus } from '../../../db/schema.js';

/** Statuses that mean the product team took the idea up. */
export const ADOPTED_STATUSES: readonly PostStatus[] = ['planned', 'in_progress', 'shipped'];
/** For each adopted post (authored, or a merged duplicate's co-author). */
export const ADOPTED_POINTS = 5;
/** On top, when it shipped (a request built, a complaint fixed). */
export const SHIPPED_POINTS = 10;
/** A post with this many votes earns the "heard" badge. */
export const HEARD_VOTES = 10;
/** Adopted posts for the "five adopted" badge. */
export const MANY_ADOPTED = 5;

export const PROFILE_BADGES = ['first_post', 'heard', 'adopted', 'five_adopted', 'shipped'] as const;
export type ProfileBadge = (typeof PROFILE_BADGES)[number];

export interface AdoptionCounts {
  /** Adopted posts (planned, in progress or shipped), shipped ones included. */
  adopted: number;
  shipped: number;
}

/** Points for ideas the product team took up: what the KOL leaderboard ranks by. */
export function adoptionPoints({ adopted, shipped }: AdoptionCounts): number {
  return ADOPTED_POINTS * adopted + SHIPPED_POINTS * shipped;
}

/** The badges adopted posts earn: first adopted, five adopted, shipped. */
export function adoptionBadges({ adopted, shipped }: AdoptionCounts): ProfileBadge[] {
  const badges: ProfileBadge[] = [];
  if (adopted >= 1) badges.push('adopted');
  if (adopted >= MANY_ADOPTED) badges.push('five_adopted');
  if (shipped >= 1) badges.push('shipped');
  return badges;
}
