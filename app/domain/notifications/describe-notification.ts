// How a notification reads, on the page and in mail. Client-safe: the
// notification centre renders it in the browser, the mail batcher on the server.
import type { NotificationKind, PostStatus } from '../../../db/schema.js';

/** One notification as its owner sees it. Carries no user id and no real identity. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  read: boolean;
  /** 'YYYY-MM-DD' (UTC): a notification dates a member's action, so day-level only. */
  day: string;
  /** Null when the owner may no longer see the post (hidden): the line stays generic. */
  post: { id: string; title: string; isOwn: boolean } | null;
  /** The comment the notification is about, for the link's anchor. */
  commentId: string | null;
  /**
   * Who wrote the comment of a reply or comment notification: a pseudonym, or
   * for an official reply the staff display name. Null when that comment has
   * since been deleted or hidden, or the kind names no one.
   */
  author: { pseudonym: string; pseudonymZh: string } | { staffName: string | null } | null;
  status: { from: PostStatus; to: PostStatus; note: string | null } | null;
  /** Why moderators hid the item (moderation kinds). */
  reason: string | null;
  /** Where a merged post went, when the owner may see it. */
  mergedInto: { id: string; title: string } | null;
}

type Translate = (key: string, options?: Record<string, string>) => string;

/** The one-line sentence for a notification, in the language of `t`. */
export function describeNotification(t: Translate, locale: string, view: NotificationView): string {
  const line = (key: string, values: Record<string, string> = {}) => t(`notifications.lines.${key}`, values);
  // A reward is the owner's own news: it still reads as one when its post is hidden. No amount, ever:
  // the same sentence goes out by mail, and a work mailbox may be read by others.
  if (view.kind === 'reward_approved' || view.kind === 'reward_paid') {
    const key = view.kind === 'reward_approved' ? 'rewardApproved' : 'rewardPaid';
    return view.post ? line(key, { title: view.post.title }) : line(`${key}Untitled`);
  }
  if (!view.post) return line('unavailable');
  const title = view.post.title;
  const withReason = (sentence: string) => (view.reason ? `${sentence} ${line('reason', { reason: view.reason })}` : sentence);

  switch (view.kind) {
    case 'reply':
    case 'comment': {
      const { author } = view;
      if (!author) return line(`${view.kind}Unnamed`, { title });
      if ('staffName' in author) {
        return line(`${view.kind}Official`, { title, name: author.staffName ?? t('post.comments.staffFallback') });
      }
      return line(view.kind, { title, name: locale === 'zh-CN' ? author.pseudonymZh : author.pseudonym });
    }
    case 'status_changed': {
      if (!view.status) return line('activity', { title });
      const key = `${view.post.isOwn ? 'statusOwn' : 'status'}${view.status.note ? 'Note' : ''}`;
      return line(key, { title, status: t(`posts.statuses.${view.status.to}`), note: view.status.note ?? '' });
    }
    case 'post_merged':
      return view.mergedInto ? line('merged', { title, target: view.mergedInto.title }) : line('mergedElsewhere', { title });
    case 'post_hidden':
      return withReason(line('postHidden', { title }));
    case 'post_restored':
      return line('postRestored', { title });
    case 'comment_hidden':
      return withReason(line('commentHidden', { title }));
    case 'comment_restored':
      return line('commentRestored', { title });
    default:
      // A kind this page has no sentence for yet still says which post it is about.
      return line('activity', { title });
  }
}

/** Where opening a notification leads: the member's rewards, the comment, the post (or where it was merged), or nowhere. */
export function notificationHref(view: NotificationView): string | null {
  if (view.kind === 'reward_approved' || view.kind === 'reward_paid') return '/rewards';
  if (!view.post) return null;
  if (view.kind === 'post_merged' && view.mergedInto) return `/posts/${view.mergedInto.id}`;
  return view.commentId ? `/posts/${view.post.id}#comment-${view.commentId}` : `/posts/${view.post.id}`;
}
