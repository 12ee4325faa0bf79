// What a member wants by mail. Client-safe: the settings and unsubscribe
// pages use the same schema as the use-cases.
import { z } from 'zod';
import type { NotificationKind } from '../../../db/schema.js';

export const MailPreferencesSchema = z.object({
  /** Replies to the member's comments and comments on posts they follow. */
  replies: z.boolean(),
  /** Status changes and merges of posts they follow, and their own rewards (approved, paid). */
  statusChanges: z.boolean(),
});
export type MailPreferences = z.infer<typeof MailPreferencesSchema>;

/** Until a member chooses, every kind that may come by mail does. */
export const DEFAULT_MAIL_PREFERENCES: MailPreferences = { replies: true, statusChanges: true };

/**
 * Which preference lets a kind come by mail. Kinds not listed (moderation
 * notices, and any added later until they are listed) stay in the app.
 */
export const MAIL_PREFERENCE_OF: Partial<Record<NotificationKind, keyof MailPreferences>> = {
  reply: 'replies',
  comment: 'replies',
  status_changed: 'statusChanges',
  post_merged: 'statusChanges',
  // A reward follows from a status change of the member's own post; the mail
  // names the post but never the amount (see describeNotification).
  reward_approved: 'statusChanges',
  reward_paid: 'statusChanges',
};
