import type { PostStatus } from '../../../db/schema.js';
import type { DomainError } from '../errors.js';
import { TriageRefusal } from './triage-refusal.js';

/**
 * The form message for a refused triage change: the key `triage.errors.<code>`
 * with, as values, the statuses a move not allowed was from and to and, for
 * an action on a selection, the title of the post that blocks it.
 */
export function triageRefusalMessage(
  error: DomainError,
  statusName: (status: PostStatus) => string,
  inSelection = false,
): string {
  let key = `triage.errors.${error.code}`;
  const values = new URLSearchParams();
  if (error instanceof TriageRefusal) {
    if (error.move && error.code === 'transition_not_allowed') {
      values.set('from', statusName(error.move.from));
      values.set('to', statusName(error.move.to));
    }
    // A missing note is missing for every post alike: no need to name one.
    if (inSelection && error.code !== 'note_required') {
      key = `triage.errors.selection.${error.code}`;
      values.set('title', error.post.title);
    }
  }
  const query = values.toString();
  return query ? `${key}?${query}` : key;
}
