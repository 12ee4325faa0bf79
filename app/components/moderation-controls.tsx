import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint } from '@conform-to/zod/v4';
import { Form, useActionData } from '@remix-run/react';
import { createContext, type ReactNode, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { ReportDisclosure } from '~/components/report-form';
import { DismissNoteSchema, MODERATION_LIMITS, ModerationReasonSchema } from '~/domain/moderation/choices';

const ReasonFieldsSchema = z.object({ reason: ModerationReasonSchema });
const NoteFieldsSchema = z.object({ note: DismissNoteSchema });
type ActionText = { reason?: string; note?: string };

/**
 * One moderator action with its text: hide or restore (a reason the author
 * sees, required) or dismiss (an optional note). The hidden fields name the
 * item; the button carries the intent the route's action switches on.
 */
export function ModerationActionForm({
  id,
  intent,
  hidden,
  field,
  submit,
  buttonClassName,
  formLabel,
  lastResult,
  action,
}: {
  /** Unique on the page, e.g. `hide-<caseId>`. */
  id: string;
  intent: 'hide' | 'restore' | 'dismiss';
  hidden: Record<string, string>;
  field: { kind: 'reason' | 'note'; label: string; hint: string };
  submit: string;
  buttonClassName: string;
  /** Names the item for screen readers, since every row's form and button read the same. */
  formLabel?: string;
  lastResult?: SubmissionResult<string[]>;
  /** Where the form posts; the current route when not given. */
  action?: string;
}) {
  const schema: z.ZodType<ActionText, ActionText> = field.kind === 'reason' ? ReasonFieldsSchema : NoteFieldsSchema;
  const [form, fields] = useForm<ActionText>({
    id,
    lastResult,
    constraint: getZodConstraint(schema),
    // Checked on the server only: with client-side validation, a form refused
    // once (no reason given) would not submit again after the reason was filled
    // in (seen in Chromium; cause not found, see the browser test).
  });
  const max = field.kind === 'reason' ? MODERATION_LIMITS.reasonMax : MODERATION_LIMITS.dismissNoteMax;
  // Refusals of the hidden fields (a stale item, an unknown intent) have no field to show under.
  const formErrors = Object.entries(form.allErrors)
    .filter(([name]) => name !== field.kind)
    .flatMap(([, messages]) => messages);
  return (
    <Form method="post" action={action} className="form moderation-form" aria-label={formLabel} {...getFormProps(form)}>
      <FormErrors errors={formErrors} id={form.errorId} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextareaField meta={fields[field.kind]} label={field.label} hint={field.hint} maxLength={max} rows={2} />
      <div className="actions">
        <SubmitButton name="intent" value={intent} className={buttonClassName}>
          {submit}
        </SubmitButton>
      </div>
    </Form>
  );
}

/** The reason field of a hide or restore form: the author reads what is written here. */
export function reasonField(t: (key: string, options?: Record<string, unknown>) => string, intent: 'hide' | 'restore') {
  const max = MODERATION_LIMITS.reasonMax;
  return intent === 'hide'
    ? { kind: 'reason' as const, label: t('moderation.actions.hideReason'), hint: t('moderation.actions.hideHint', { max }) }
    : { kind: 'reason' as const, label: t('moderation.actions.restoreReason'), hint: t('moderation.actions.restoreHint', { max }) };
}

type PostActionReply = { intent: string; target: string; result: SubmissionResult<string[]> };

/** The post page's reply meant for one moderation form (post-level: target ''). */
function usePostReply(intent: string, target: string): SubmissionResult<string[]> | undefined {
  const reply = useActionData() as PostActionReply | undefined;
  return reply?.intent === intent && reply.target === target ? reply.result : undefined;
}

/** Hide or restore the post itself, beside it on its page; for moderators. */
export function PostModerationPanel({ postId, hidden, action }: { postId: string; hidden: boolean; action: string }) {
  const { t } = useTranslation();
  const intent = hidden ? 'restore' : 'hide';
  const lastResult = usePostReply(intent, '');
  return (
    <section className="panel moderation-panel" aria-labelledby="moderation-panel-title">
      <h2 id="moderation-panel-title">{t('moderation.onPost.title')}</h2>
      <p className="small muted">{t('moderation.onPost.intro')}</p>
      <ModerationActionForm
        id={`${intent}-post-${postId}`}
        intent={intent}
        hidden={{}}
        action={action}
        field={reasonField(t, intent)}
        submit={hidden ? t('moderation.onPost.restorePost') : t('moderation.onPost.hidePost')}
        buttonClassName={hidden ? 'button button--secondary button--small' : 'button button--danger button--small'}
        lastResult={lastResult}
      />
    </section>
  );
}

interface PostModeration {
  postId: string;
  /** Where the post page's forms post (its path, without the hash). */
  action: string;
  signedIn: boolean;
  canModerate: boolean;
  /** The comments the viewer has reported, still open. */
  reportedCommentIds: readonly string[];
}

const PostModerationContext = createContext<PostModeration | null>(null);

/** Gives every comment on the post what its report and moderator controls need. */
export function PostModerationProvider({ value, children }: { value: PostModeration; children: ReactNode }) {
  return <PostModerationContext.Provider value={value}>{children}</PostModerationContext.Provider>;
}

/**
 * Under a comment: "Report" for other signed-in people, and hide or restore
 * for moderators. Nothing for a deleted comment.
 */
export function CommentModeration({
  comment,
}: {
  comment: { id: string; state: 'visible' | 'deleted' | 'hidden'; isOwn: boolean };
}) {
  const { t } = useTranslation();
  const moderation = useContext(PostModerationContext);
  const intent = comment.state === 'hidden' ? 'restore' : 'hide';
  const lastResult = usePostReply(intent, comment.id);
  if (!moderation || comment.state === 'deleted') return null;
  // Moderators hide what they would report.
  const mayReport = moderation.signedIn && !moderation.canModerate && !comment.isOwn && comment.state === 'visible';
  if (!mayReport && !moderation.canModerate) return null;
  return (
    <div className="comment__actions">
      {mayReport ? (
        <ReportDisclosure
          postId={moderation.postId}
          commentId={comment.id}
          reported={moderation.reportedCommentIds.includes(comment.id)}
          label={t('moderation.report.thisComment')}
        />
      ) : null}
      {moderation.canModerate ? (
        <details className="comment__more" open={lastResult ? true : undefined}>
          <summary>
            {comment.state === 'hidden' ? t('moderation.onPost.restoreComment') : t('moderation.onPost.hideComment')}
            <span className="visually-hidden"> {t('moderation.report.thisComment')}</span>
          </summary>
          <ModerationActionForm
            id={`${intent}-comment-${comment.id}`}
            intent={intent}
            hidden={{ commentId: comment.id }}
            action={moderation.action}
            field={reasonField(t, intent)}
            submit={comment.state === 'hidden' ? t('moderation.actions.restore') : t('moderation.actions.hide')}
            buttonClassName={comment.state === 'hidden' ? 'button button--secondary button--small' : 'button button--danger button--small'}
            lastResult={lastResult}
          />
        </details>
      ) : null}
    </div>
  );
}
