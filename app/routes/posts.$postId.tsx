import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { errorsOf, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { RoadmapItemLink } from '~/components/roadmap-item-link';
import { RowActionForm } from '~/components/row-action-form';
import { UtcDate, UtcDateTime } from '~/components/time';
import { addComment } from '~/domain/comments/add-comment.server';
import { deleteComment } from '~/domain/comments/delete-comment.server';
import { editComment } from '~/domain/comments/edit-comment.server';
import { COMMENT_EDIT_MINUTES, COMMENT_MAX_LENGTH } from '~/domain/comments/limits';
import { type CommentThread, type CommentView, listComments } from '~/domain/comments/list-comments.server';
import { isDomainError } from '~/domain/errors';
import { followPost } from '~/domain/follows/follow-post.server';
import { MergePanel } from '~/components/merge-panel';
import { listPostMerges } from '~/domain/merges/list-post-merges.server';
import { unfollowPost } from '~/domain/follows/unfollow-post.server';
import { getPost, type PostPage } from '~/domain/posts/get-post.server';
import { getSettings } from '~/domain/settings/settings.server';
import { VOTE_IMPACT_NOTE_MAX_LENGTH } from '~/domain/votes/limits';
import { toggleVote } from '~/domain/votes/toggle-vote.server';
import { CommentModeration, PostModerationPanel, PostModerationProvider } from '~/components/moderation-controls';
import { ReportDisclosure } from '~/components/report-form';
import { ModerationReasonSchema } from '~/domain/moderation/choices';
import { hideContent } from '~/domain/moderation/hide-content.server';
import { listOwnReports } from '~/domain/moderation/list-own-reports.server';
import { restoreContent } from '~/domain/moderation/restore-content.server';
import { can, getCurrentUser, requireUser } from '~/utils/auth.server';
import { keyedHash } from '~/utils/crypto.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { notFound } from '~/utils/http.server';
import { getT, isLocale } from '~/utils/i18n';
import { pageTitle } from '~/utils/meta';
import { hitRateLimit, rateLimitedReply } from '~/utils/rate-limit.server';
import { StatusTimeline } from '~/components/status-timeline';
import { TagBadges } from '~/components/tag-badge';
import { TriagePanel } from '~/components/triage-panel';
import { listTagsOfPosts } from '~/domain/tags/list-tags.server';
import { getTriagePanel } from '~/domain/triage/get-triage-panel.server';
import { listStatusTimeline } from '~/domain/triage/list-status-timeline.server';
import { getLocale } from '~/utils/locale.server';

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => {
  if (!loaded) return pageTitle({ matches }, 'common.errors.notFoundTitle');
  const rootData = matches.find((match) => match.id === 'root')?.data as { locale?: unknown } | undefined;
  const t = getT(isLocale(rootData?.locale) ? rootData.locale : 'en');
  return [{ title: `${loaded.post.title} · ${t('common.brand')}` }];
};

const CommentBodyField = z
  .string({ error: 'post.errors.bodyRequired' })
  .trim()
  .min(1, { error: 'post.errors.bodyRequired' })
  .max(COMMENT_MAX_LENGTH, { error: `common.errors.tooLong?max=${COMMENT_MAX_LENGTH}` });
const IdField = z.string({ error: 'post.errors.unknownAction' }).min(1).max(64, { error: 'post.errors.unknownAction' });

const VoteFieldsSchema = z.object({
  impactNote: z
    .string()
    .trim()
    .max(VOTE_IMPACT_NOTE_MAX_LENGTH, { error: `common.errors.tooLong?max=${VOTE_IMPACT_NOTE_MAX_LENGTH}` })
    .optional(),
});
const CommentFieldsSchema = z.object({ body: CommentBodyField });

const PostActionSchema = z.discriminatedUnion(
  'intent',
  [
    VoteFieldsSchema.extend({ intent: z.literal('vote') }),
    z.object({ intent: z.literal('follow') }),
    z.object({ intent: z.literal('unfollow') }),
    CommentFieldsSchema.extend({ intent: z.literal('comment') }),
    CommentFieldsSchema.extend({ intent: z.literal('reply'), parentId: IdField }),
    CommentFieldsSchema.extend({ intent: z.literal('edit-comment'), commentId: IdField }),
    z.object({ intent: z.literal('delete-comment'), commentId: IdField }),
    // Moderators hide or restore the post (no commentId) or one of its comments.
    z.object({ intent: z.literal('hide'), commentId: IdField.optional(), reason: ModerationReasonSchema }),
    z.object({ intent: z.literal('restore'), commentId: IdField.optional(), reason: ModerationReasonSchema }),
  ],
  { error: 'post.errors.unknownAction' },
);

const ParamsSchema = z.object({ postId: z.string().min(1).max(64) });

function parsePostId(params: unknown): string {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.postId;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const postId = parsePostId(params);
  const user = await getCurrentUser(request, context);
  const { db } = context.services;
  try {
    const [post, comments, merges, ownReports] = await Promise.all([
      getPost(db, user, postId),
      listComments(db, user, postId),
      listPostMerges(db, user, postId),
      listOwnReports(db, user, postId),
    ]);
    const url = new URL(request.url);
    const canMerge = can(user, 'triage');
    // Readers of a merged duplicate continue on the post it was merged into;
    // triage staff stay (to undo), and "?view=duplicate" keeps anyone here
    // to read the comments that stayed on it. A hidden target sends no one.
    if (post.mergedInto?.title != null && !canMerge && url.searchParams.get('view') !== 'duplicate') {
      throw await redirectWithFlash(`/posts/${post.mergedInto.id}`, 'merge.flash.redirected');
    }
    // The public status history and tags; the triage panel for triage staff.
    const locale = await getLocale(request, context);
    const [timeline, tagsByPost, triage] = await Promise.all([
      listStatusTimeline(db, postId),
      listTagsOfPosts(db, [postId], locale),
      user && canMerge ? getTriagePanel(db, user, postId, locale) : null,
    ]);
    return {
      timeline,
      tags: tagsByPost.get(postId) ?? [],
      triage,
      merges,
      canMerge,
      post,
      comments,
      signedIn: user !== null,
      loginHref: `/login?redirectTo=${encodeURIComponent(url.pathname)}`,
      ownReports,
      canModerate: can(user, 'moderate'),
    };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const postId = parsePostId(params);
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  // Which comment's form answered, so its error shows beside it and not on every form.
  const target = String(formData.get('commentId') ?? formData.get('parentId') ?? '');
  const submission = parseWithZod(formData, { schema: PostActionSchema });
  if (submission.status !== 'success') {
    return data({ intent, target, result: submission.reply() }, { status: 400 });
  }
  const { db, vaultKeys } = context.services;
  const command = submission.value;
  const back = `/posts/${postId}`;

  if (command.intent === 'comment' || command.intent === 'reply') {
    const { commentsPerHour } = await getSettings(db);
    const limit = await hitRateLimit(
      db,
      { name: 'comment', limit: commentsPerHour, windowSeconds: 60 * 60 },
      keyedHash(vaultKeys.rateLimit, user.id),
    );
    if (!limit.allowed) {
      const refused = rateLimitedReply('post.errors.commentRateLimited', limit);
      return data({ intent, target, result: submission.reply({ formErrors: [refused.message] }) }, refused.init);
    }
  }
  const moderating = command.intent === 'hide' || command.intent === 'restore';
  if (moderating && !can(user, 'moderate')) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });

  try {
    switch (command.intent) {
      case 'vote':
        await toggleVote(db, user, { postId, impactNote: command.impactNote });
        return redirect(back);
      case 'follow':
        await followPost(db, user, postId);
        return redirect(back);
      case 'unfollow':
        await unfollowPost(db, user, postId);
        return redirect(back);
      case 'comment':
      case 'reply': {
        const parentId = command.intent === 'reply' ? command.parentId : null;
        const { id } = await addComment(db, user, { postId, parentId, body: command.body });
        return redirectWithFlash(`${back}#comment-${id}`, 'post.flash.commentAdded');
      }
      case 'edit-comment':
        await editComment(db, user, { commentId: command.commentId, body: command.body });
        return redirectWithFlash(`${back}#comment-${command.commentId}`, 'post.flash.commentEdited');
      case 'delete-comment':
        await deleteComment(db, user, { commentId: command.commentId });
        return redirectWithFlash(`${back}#comments`, 'post.flash.commentDeleted');
      case 'hide':
      case 'restore': {
        const item = { postId, commentId: command.commentId ?? null, reason: command.reason };
        await (command.intent === 'hide' ? hideContent(db, user, item) : restoreContent(db, user, item));
        const anchor = command.commentId ? `#comment-${command.commentId}` : '';
        return redirectWithFlash(`${back}${anchor}`, command.intent === 'hide' ? 'moderation.flash.hidden' : 'moderation.flash.restored');
      }
    }
  } catch (error) {
    if (isDomainError(error) && error.code === 'post_not_found') throw notFound();
    const result = replyWithDomainError(submission, error, moderating ? 'moderation.errors' : 'post.errors');
    return data({ intent, target, result }, { status: 400 });
  }
}

type ActionData = { intent: string; target: string; result: SubmissionResult<string[]> };

/** The reply meant for one form: its intent and, for per-comment forms, its comment. */
function resultFor(actionData: ActionData | undefined, intent: string, target = ''): SubmissionResult<string[]> | undefined {
  return actionData?.intent === intent && actionData.target === target ? actionData.result : undefined;
}

export default function PostPageRoute() {
  const { post, comments, signedIn, loginHref, merges, canMerge, ownReports, canModerate } = useLoaderData<typeof loader>();
  const { timeline, tags, triage } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  const author = zh ? post.author.pseudonymZh : post.author.pseudonym;
  const active = !post.hidden && !post.mergedInto;

  return (
    <>
      {post.hidden ? (
        <p className="notice" role="status">
          {post.viewer.isAuthor ? t('post.hidden.toAuthor') : t('post.hidden.toModerator')}{' '}
          {post.hidden.reason ? t('post.hidden.reason', { reason: post.hidden.reason }) : null}
        </p>
      ) : null}
      {post.mergedInto ? (
        <p className="notice" role="status">
          {t('post.merged.notice')}{' '}
          <Link to={`/posts/${post.mergedInto.id}`}>{post.mergedInto.title ?? t('post.merged.link')}</Link>
        </p>
      ) : null}

      <div className="post-layout">
        <article className="panel post" aria-labelledby="post-title">
          <p className="post__badges">
            <PostTypeBadge type={post.type} />
            <PostStatusBadge status={post.status} />
            <span className="badge badge--muted">{zh ? post.productArea.nameZh : post.productArea.nameEn}</span>
          </p>
          <h1 id="post-title">{post.title}</h1>
          <p className="post__byline small muted">
            <span className="avatar" aria-hidden="true">
              {author.slice(0, 1)}
            </span>
            <Link to={`/u/${post.author.id}`}>{t('post.byline', { pseudonym: author })}</Link>
            <span aria-hidden="true">·</span>
            <UtcDate value={new Date(post.createdDay)} />
            {post.author.orgTier ? (
              <span className="badge badge--muted">{t('post.authorTier', { tier: t(`common.tiers.${post.author.orgTier}`) })}</span>
            ) : null}
            {post.viewer.canEdit ? (
              <Link to={`/posts/${post.id}/edit`} className="button button--secondary button--small">
                {t('post.edit')}
              </Link>
            ) : null}
          </p>
          <TagBadges tags={tags} linked />
          <RoadmapItemLink item={post.roadmapItem} />
          {/* Sanitised when written (renderMarkdown), so it is safe to insert as is. */}
          <div className="post__body" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          <Impact post={post} />
          {signedIn && !canModerate && !post.viewer.isAuthor && !post.hidden ? (
            <ReportDisclosure postId={post.id} reported={ownReports.post} label={t('moderation.report.thisPost')} />
          ) : null}
        </article>

        <aside className="post-side">
          <VotePanel post={post} signedIn={signedIn} loginHref={loginHref} active={active} />
          {triage ? <TriagePanel key={triage.version} panel={triage} /> : null}
          <MergePanel postId={post.id} postTitle={post.title} merges={merges} canMerge={canMerge} isMerged={post.mergedInto !== null} />
          {canModerate ? <PostModerationPanel postId={post.id} hidden={post.hidden !== null} action={`/posts/${post.id}`} /> : null}
        </aside>
      </div>

      <StatusTimeline entries={timeline} />

      <PostModerationProvider
        value={{ postId: post.id, action: `/posts/${post.id}`, signedIn, canModerate, reportedCommentIds: ownReports.commentIds }}
      >
        <Comments comments={comments} post={post} signedIn={signedIn} loginHref={loginHref} active={active} />
      </PostModerationProvider>
    </>
  );
}

function Impact({ post }: { post: PostPage }) {
  const { t } = useTranslation();
  if (post.impactHoursPerWeek === null && post.impactSites === null && !post.impactNote) return null;
  return (
    <section className="post__impact" aria-labelledby="impact-title">
      <h2 id="impact-title">{t('post.impact.title')}</h2>
      <dl className="details">
        {post.impactHoursPerWeek !== null ? (
          <>
            <dt>{t('post.impact.hours')}</dt>
            <dd>{t('post.impact.hoursValue', { count: post.impactHoursPerWeek })}</dd>
          </>
        ) : null}
        {post.impactSites !== null ? (
          <>
            <dt>{t('post.impact.sites')}</dt>
            <dd>{post.impactSites}</dd>
          </>
        ) : null}
        {post.impactNote ? (
          <>
            <dt>{t('post.impact.note')}</dt>
            <dd>{post.impactNote}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function VotePanel({
  post,
  signedIn,
  loginHref,
  active,
}: {
  post: PostPage;
  signedIn: boolean;
  loginHref: string;
  active: boolean;
}) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const voteFetcher = useFetcher<typeof action>({ key: `vote-${post.id}` });
  const followFetcher = useFetcher<typeof action>({ key: `follow-${post.id}` });

  // Optimistic: while a toggle is on its way, show its outcome.
  const voting = voteFetcher.formData?.get('intent') === 'vote';
  const hasVoted = voting ? !post.viewer.hasVoted : post.viewer.hasVoted;
  const voteCount = post.voteCount + (voting ? (hasVoted ? 1 : -1) : 0);
  const followIntent = followFetcher.formData?.get('intent');
  const isFollowing = followIntent ? followIntent === 'follow' : post.viewer.isFollowing;

  const [voteForm, voteFields] = useForm({
    id: 'vote',
    lastResult: resultFor(voteFetcher.data, 'vote') ?? resultFor(actionData, 'vote'),
    constraint: getZodConstraint(VoteFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: VoteFieldsSchema }),
    shouldRevalidate: 'onBlur',
  });
  const followErrors =
    errorsOf(resultFor(followFetcher.data, 'follow') ?? resultFor(followFetcher.data, 'unfollow')) ??
    errorsOf(resultFor(actionData, 'follow') ?? resultFor(actionData, 'unfollow'));

  return (
    <section className="panel vote-panel" id="votes" aria-labelledby="votes-title">
      <h2 id="votes-title" className="visually-hidden">
        {t('post.votes.title')}
      </h2>
      <dl className="vote-panel__stats">
        <div>
          <dt>{t('post.votes.count')}</dt>
          <dd className="stat" aria-live="polite">
            {voteCount}
          </dd>
        </div>
        <div>
          <dt>{t('post.votes.weighted')}</dt>
          <dd className="stat">{post.weightedScore}</dd>
        </div>
        <div>
          <dt>{t('post.votes.orgs')}</dt>
          <dd className="stat">{post.orgCount}</dd>
        </div>
      </dl>
      <p className="small muted">{t('post.votes.private')}</p>

      {!active ? null : signedIn ? (
        <>
          <voteFetcher.Form method="post" className="form" preventScrollReset {...getFormProps(voteForm)}>
            <FormErrors errors={voteForm.errors} id={voteForm.errorId} />
            {hasVoted ? (
              <p className="small">{t('post.votes.youVoted')}</p>
            ) : (
              <TextareaField
                meta={voteFields.impactNote}
                label={t('post.votes.note')}
                hint={t('post.votes.noteHint', { max: VOTE_IMPACT_NOTE_MAX_LENGTH })}
                maxLength={VOTE_IMPACT_NOTE_MAX_LENGTH}
                rows={2}
              />
            )}
            <button
              type="submit"
              name="intent"
              value="vote"
              className={hasVoted ? 'button button--secondary' : 'button'}
              aria-pressed={hasVoted}
            >
              {hasVoted ? t('post.votes.unvote') : t('post.votes.vote')}
            </button>
          </voteFetcher.Form>
          <followFetcher.Form method="post" className="inline-form" preventScrollReset>
            <button
              type="submit"
              name="intent"
              value={isFollowing ? 'unfollow' : 'follow'}
              className="button button--ghost"
              aria-pressed={isFollowing}
            >
              {isFollowing ? t('post.follow.unfollow') : t('post.follow.follow')}
            </button>
          </followFetcher.Form>
          <p className="small muted">{isFollowing ? t('post.follow.following') : t('post.follow.hint')}</p>
          <FormErrors errors={followErrors} />
        </>
      ) : (
        <p>
          <Link to={loginHref} className="button">
            {t('post.votes.logInToVote')}
          </Link>
        </p>
      )}
    </section>
  );
}

function Comments({
  comments,
  post,
  signedIn,
  loginHref,
  active,
}: {
  comments: CommentThread[];
  post: PostPage;
  signedIn: boolean;
  loginHref: string;
  active: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="panel comments" id="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t('post.comments.title', { count: post.commentCount })}</h2>
      {comments.length === 0 ? (
        <p className="empty-state">{t('post.comments.none')}</p>
      ) : (
        <ol className="comment-list">
          {comments.map((thread) => (
            <li key={thread.id}>
              <Comment comment={thread} />
              {thread.replies.length > 0 ? (
                <ol className="comment-list comment-list--replies" aria-label={t('post.comments.repliesTo')}>
                  {thread.replies.map((reply) => (
                    <li key={reply.id}>
                      <Comment comment={reply} />
                    </li>
                  ))}
                </ol>
              ) : null}
              {signedIn && active && thread.state === 'visible' ? (
                <details className="comment__more">
                  <summary>{t('post.comments.reply')}</summary>
                  <CommentForm
                    key={thread.replies.length}
                    intent="reply"
                    target={thread.id}
                    label={t('post.comments.replyLabel')}
                    submit={t('post.comments.replySubmit')}
                  />
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {!active ? null : signedIn ? (
        <CommentForm
          key={post.commentCount}
          intent="comment"
          target=""
          label={t('post.comments.newLabel')}
          submit={t('post.comments.submit')}
        />
      ) : (
        <p>
          <Link to={loginHref}>{t('post.comments.logInToComment')}</Link>
        </p>
      )}
    </section>
  );
}

function Comment({ comment }: { comment: CommentView }) {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<typeof action>();
  const zh = i18n.language === 'zh-CN';
  const author = comment.author;
  const name =
    author === null
      ? null
      : 'staffName' in author
        ? (author.staffName ?? t('post.comments.staffFallback'))
        : zh
          ? author.pseudonymZh
          : author.pseudonym;
  const deleteErrors = errorsOf(resultFor(actionData, 'delete-comment', comment.id));

  return (
    <article
      className={comment.isOfficial && comment.state !== 'deleted' ? 'comment comment--official' : 'comment'}
      id={`comment-${comment.id}`}
    >
      <p className="comment__meta small">
        {name ? <strong>{name}</strong> : null}
        {comment.isOfficial && comment.state !== 'deleted' ? (
          <span className="badge badge--success">{t('post.comments.official')}</span>
        ) : null}
        {comment.exactAt ? (
          <UtcDateTime value={new Date(comment.exactAt)} />
        ) : (
          <UtcDate value={new Date(comment.day)} />
        )}
        {comment.edited ? <span className="muted">{t('post.comments.edited')}</span> : null}
      </p>
      {comment.state === 'deleted' ? (
        <p className="comment__gone muted">{t('post.comments.deleted')}</p>
      ) : comment.state === 'hidden' && comment.bodyHtml === null ? (
        <p className="comment__gone muted">{t('post.comments.hidden')}</p>
      ) : (
        <>
          {comment.state === 'hidden' ? (
            <p className="notice small">
              {t('post.comments.hiddenToYou')}{' '}
              {comment.hiddenReason ? t('post.hidden.reason', { reason: comment.hiddenReason }) : null}
            </p>
          ) : null}
          {/* Sanitised when written (renderMarkdown). */}
          <div className="comment__body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml ?? '' }} />
        </>
      )}
      {comment.canEdit || comment.canDelete ? (
        <div className="comment__actions">
          {comment.canEdit ? (
            <details className="comment__more">
              <summary>{t('post.comments.edit')}</summary>
              <p className="small muted">{t('post.comments.editWindow', { minutes: COMMENT_EDIT_MINUTES })}</p>
              <CommentForm
                key={comment.editableBody}
                intent="edit-comment"
                target={comment.id}
                label={t('post.comments.editLabel')}
                submit={t('post.comments.editSubmit')}
                defaultBody={comment.editableBody ?? undefined}
              />
            </details>
          ) : null}
          {comment.canDelete ? (
            <RowActionForm
              intent="delete-comment"
              hidden={{ commentId: comment.id }}
              buttonClassName="button button--ghost button--small"
              ariaLabel={t('post.comments.deleteLabel')}
            >
              {t('common.actions.delete')}
            </RowActionForm>
          ) : null}
        </div>
      ) : null}
      <CommentModeration comment={comment} />
      <FormErrors errors={deleteErrors} />
    </article>
  );
}

/** A comment, reply or edit form; errors from the action show on the form that sent them. */
function CommentForm({
  intent,
  target,
  label,
  submit,
  defaultBody,
}: {
  intent: 'comment' | 'reply' | 'edit-comment';
  target: string;
  label: string;
  submit: string;
  defaultBody?: string;
}) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const [form, fields] = useForm({
    id: target ? `${intent}-${target}` : intent,
    lastResult: resultFor(actionData, intent, target),
    defaultValue: { body: defaultBody },
    constraint: getZodConstraint(CommentFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CommentFieldsSchema }),
    shouldRevalidate: 'onBlur',
  });
  const targetField = intent === 'reply' ? 'parentId' : intent === 'edit-comment' ? 'commentId' : null;
  return (
    <Form method="post" action={location.pathname} className="form comment-form" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      {targetField ? <input type="hidden" name={targetField} value={target} /> : null}
      <TextareaField
        meta={fields.body}
        label={label}
        hint={t('post.comments.hint', { max: COMMENT_MAX_LENGTH })}
        maxLength={COMMENT_MAX_LENGTH}
        rows={intent === 'comment' ? 4 : 3}
      />
      <div className="actions">
        <SubmitButton name="intent" value={intent} className={intent === 'comment' ? 'button' : 'button button--secondary'}>
          {submit}
        </SubmitButton>
      </div>
    </Form>
  );
}
