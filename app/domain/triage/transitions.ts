import type { PostStatus } from '../../../db/schema.js';

/**
 * The status workflow a triager may move a post through:
 * open → under_review → planned → in_progress → shipped, or declined.
 * Forward moves may skip steps (a complaint can be fixed straight from open);
 * a step back is one step only (a rollback the bounty worker hears of);
 * a declined post can be reopened; merged is reached and left only by
 * merging and undoing a merge, never by setting a status.
 */
const ALLOWED: Record<PostStatus, readonly PostStatus[]> = {
  open: ['under_review', 'planned', 'in_progress', 'shipped', 'declined'],
  under_review: ['open', 'planned', 'in_progress', 'shipped', 'declined'],
  planned: ['under_review', 'in_progress', 'shipped', 'declined'],
  in_progress: ['planned', 'shipped', 'declined'],
  shipped: ['in_progress'],
  declined: ['open', 'under_review'],
  merged: [],
};

export function canTransition(from: PostStatus, to: PostStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedTransitions(from: PostStatus): readonly PostStatus[] {
  return ALLOWED[from];
}

/** The longest public note a status change may carry (post_status_change.note's CHECK). */
export const STATUS_NOTE_MAX_LENGTH = 2000;

/** Statuses whose change needs a public note. */
export function requiresNote(to: PostStatus): boolean {
  return to === 'declined';
}
