import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { isModerator } from '../posts/get-post.server.js';
import { COMMENT_EDIT_MINUTES } from './limits.js';

export interface CommentView {
  id: string;
  state: 'visible' | 'deleted' | 'hidden';
  /** Sanitised at write; null when deleted, or hidden from this viewer. */
  bodyHtml: string | null;
  isOfficial: boolean;
  /**
   * Members by pseudonym (en + zh); official replies by the staff display
   * name. Null for a deleted comment: it keeps its place, not its author.
   */
  author: { pseudonym: string; pseudonymZh: string } | { staffName: string | null } | null;
  /** 'YYYY-MM-DD' (UTC) for members' comments... */
  day: string;
  /** ...and the exact moment (ISO) for official replies only. */
  exactAt: string | null;
  edited: boolean;
  /** Why it was hidden: for its author and moderators only. */
  hiddenReason: string | null;
  isOwn: boolean;
  canEdit: boolean;
  canDelete: boolean;
  /** The Markdown source, to prefill the edit form: own comments within the edit window only. */
  editableBody: string | null;
}

export interface CommentThread extends CommentView {
  replies: CommentView[];
}

/**
 * A post's comments, oldest first, replies under their top-level comment.
 * No user id leaves this function: the viewer learns only which comments
 * are their own.
 */
export async function listComments(db: Kysely<Database>, viewer: Actor | null, postId: string): Promise<CommentThread[]> {
  const rows = await db
    .selectFrom('comment')
    .innerJoin('app_user as author', 'author.id', 'comment.author_id')
    .select([
      'comment.id',
      'comment.parent_id',
      'comment.author_id',
      'comment.body',
      'comment.body_html',
      'comment.is_official',
      'comment.edited_at',
      'comment.deleted_at',
      'comment.hidden_at',
      'comment.hidden_reason',
      'author.pseudonym',
      'author.pseudonym_zh',
      'author.staff_display_name',
      sql<string>`to_char(comment.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('day'),
      sql<Date>`comment.created_at`.as('created_at'),
      sql<boolean>`comment.created_at > now() - make_interval(mins => ${COMMENT_EDIT_MINUTES})`.as('within_window'),
    ])
    .where('comment.post_id', '=', postId)
    .orderBy('comment.created_at')
    .orderBy('comment.id')
    .execute();

  const moderator = isModerator(viewer);
  const views = rows.map((row): CommentView & { parentId: string | null } => {
    const isOwn = viewer !== null && row.author_id === viewer.id;
    const state = row.deleted_at ? 'deleted' : row.hidden_at ? 'hidden' : 'visible';
    const canEdit = isOwn && state === 'visible' && row.within_window;
    const mayRead = state === 'visible' || (state === 'hidden' && (isOwn || moderator));
    return {
      id: row.id,
      parentId: row.parent_id,
      state,
      bodyHtml: mayRead ? row.body_html : null,
      isOfficial: row.is_official,
      author:
        state === 'deleted'
          ? null
          : row.is_official
            ? { staffName: row.staff_display_name }
            : { pseudonym: row.pseudonym, pseudonymZh: row.pseudonym_zh },
      day: row.day,
      exactAt: row.is_official && state !== 'deleted' ? new Date(row.created_at).toISOString() : null,
      edited: row.edited_at !== null && state !== 'deleted',
      hiddenReason: state === 'hidden' && (isOwn || moderator) ? row.hidden_reason : null,
      isOwn,
      canEdit,
      editableBody: canEdit ? row.body : null,
      canDelete: isOwn && state !== 'deleted',
    };
  });

  const threads = new Map<string, CommentThread>();
  for (const { parentId, ...view } of views) {
    if (parentId === null) threads.set(view.id, { ...view, replies: [] });
  }
  for (const { parentId, ...view } of views) {
    if (parentId !== null) threads.get(parentId)?.replies.push(view);
  }
  return [...threads.values()];
}
