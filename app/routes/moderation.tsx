import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ModerationActionForm, reasonField } from '~/components/moderation-controls';
import { PageHeader } from '~/components/page-header';
import { PostDay } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { DismissNoteSchema, ItemIdSchema, MODERATION_LIMITS, ModerationReasonSchema } from '~/domain/moderation/choices';
import { dismissCase } from '~/domain/moderation/dismiss-case.server';
import { hideContent } from '~/domain/moderation/hide-content.server';
import { type HiddenItemView, listHiddenContent } from '~/domain/moderation/list-hidden-content.server';
import {
  countOpenCases,
  type ItemAuthor,
  listModerationQueue,
  type ModerationCaseView,
} from '~/domain/moderation/list-moderation-queue.server';
import { restoreContent } from '~/domain/moderation/restore-content.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'moderation.title');

const ModerationActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('hide'), caseId: ItemIdSchema, reason: ModerationReasonSchema }),
    z.object({ intent: z.literal('dismiss'), caseId: ItemIdSchema, note: DismissNoteSchema }),
    z.object({ intent: z.literal('restore'), postId: ItemIdSchema, commentId: ItemIdSchema.optional(), reason: ModerationReasonSchema }),
  ],
  { error: 'moderation.errors.unknownAction' },
);

// A bad or stale parameter falls back to the first page of the queue instead of failing.
const ViewQuerySchema = z.object({
  view: z.enum(['reported', 'hidden']).catch('reported'),
  after: z.string().max(300).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'moderate');
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  const { view, after } = ViewQuerySchema.parse(params);
  const { db } = context.services;
  if (view === 'hidden') {
    const [hidden, openCount] = await Promise.all([listHiddenContent(db, user, { after }), countOpenCases(db, user)]);
    return { view, after: after ?? null, openCount, queue: null, hidden };
  }
  const queue = await listModerationQueue(db, user, { after });
  return { view, after: after ?? null, openCount: queue.openCount, queue, hidden: null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'moderate');
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  // Which row's form answered, so its message shows on that row only.
  const target = String(formData.get('caseId') ?? formData.get('commentId') ?? formData.get('postId') ?? '');
  const submission = parseWithZod(formData, { schema: ModerationActionSchema });
  if (submission.status !== 'success') {
    return data({ intent, target, result: submission.reply() }, { status: 400 });
  }
  const { db } = context.services;
  const command = submission.value;
  try {
    switch (command.intent) {
      case 'hide':
        await hideContent(db, user, { caseId: command.caseId, reason: command.reason });
        return redirectWithFlash('/moderation', 'moderation.flash.hidden');
      case 'dismiss':
        await dismissCase(db, user, { caseId: command.caseId, note: command.note });
        return redirectWithFlash('/moderation', 'moderation.flash.dismissed');
      case 'restore':
        await restoreContent(db, user, { postId: command.postId, commentId: command.commentId, reason: command.reason });
        return redirectWithFlash('/moderation?view=hidden', 'moderation.flash.restored');
    }
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'moderation.errors');
    return data({ intent, target, result }, { status: isDomainError(error) ? error.status : 400 });
  }
}

type ActionData = { intent: string; target: string; result: Parameters<typeof ModerationActionForm>[0]['lastResult'] };

function resultFor(actionData: ActionData | undefined, intent: string, target: string) {
  return actionData?.intent === intent && actionData.target === target ? actionData.result : undefined;
}

export default function ModerationPage() {
  const { view, after, openCount, queue, hidden } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const page = (cursor: string) => `?${new URLSearchParams({ ...(view === 'hidden' ? { view } : {}), after: cursor })}`;
  const first = view === 'hidden' ? '?view=hidden' : '/moderation';
  const nextCursor = queue?.nextCursor ?? hidden?.nextCursor ?? null;
  return (
    <>
      <PageHeader title={t('moderation.title')} intro={t('moderation.intro')} />
      <nav className="subnav" aria-label={t('moderation.tabs.label')}>
        <Link to="/moderation" className={view === 'reported' ? 'active' : undefined} aria-current={view === 'reported' ? 'page' : undefined}>
          {t('moderation.tabs.reported', { count: openCount })}
        </Link>
        <Link to="?view=hidden" className={view === 'hidden' ? 'active' : undefined} aria-current={view === 'hidden' ? 'page' : undefined}>
          {t('moderation.tabs.hidden')}
        </Link>
      </nav>

      {queue ? <Queue cases={queue.cases} /> : null}
      {hidden ? <HiddenList items={hidden.items} /> : null}

      {after || nextCursor ? (
        <nav className="actions pager" aria-label={t('moderation.queue.pagesLabel')}>
          {after ? (
            <Link to={first} className="button button--secondary button--small">
              {view === 'hidden' ? t('moderation.hidden.first') : t('moderation.queue.first')}
            </Link>
          ) : null}
          {nextCursor ? (
            <Link to={page(nextCursor)} className="button button--secondary button--small" rel="next">
              {view === 'hidden' ? t('moderation.hidden.more') : t('moderation.queue.more')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function itemHref(item: { post: { id: string }; comment: { id: string } | null }): string {
  return item.comment ? `/posts/${item.post.id}#comment-${item.comment.id}` : `/posts/${item.post.id}`;
}

function AuthorName({ author }: { author: ItemAuthor }) {
  const { t, i18n } = useTranslation();
  if ('staffName' in author) return <>{author.staffName ?? t('moderation.queue.staffFallback')}</>;
  return <>{i18n.language === 'zh-CN' ? author.pseudonymZh : author.pseudonym}</>;
}

/** The post's title, and for a comment, what the comment says. */
function ItemSummary({
  headingId,
  item,
  excerpt,
  gone,
}: {
  headingId: string;
  item: { post: { id: string; title: string }; comment: { id: string } | null };
  excerpt: string | null;
  gone?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <h2 id={headingId} className="moderation-case__title">
        {item.comment ? <span className="moderation-case__on small muted">{t('moderation.queue.onPost')} </span> : null}
        <Link to={itemHref(item)}>{item.post.title}</Link>
      </h2>
      {excerpt !== null ? <blockquote className="moderation-case__excerpt">{excerpt}</blockquote> : <p className="muted">{gone}</p>}
    </>
  );
}

function Queue({ cases }: { cases: ModerationCaseView[] }) {
  const { t } = useTranslation();
  if (cases.length === 0) {
    return (
      <section className="panel" aria-label={t('moderation.queue.label')}>
        <p className="empty-state">{t('moderation.queue.empty')}</p>
      </section>
    );
  }
  return (
    <section aria-label={t('moderation.queue.label')}>
      <p className="small muted">{t('moderation.queue.private')}</p>
      <ol className="moderation-list">
        {cases.map((entry) => (
          <li key={entry.id}>
            <CaseCard entry={entry} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function CaseCard({ entry }: { entry: ModerationCaseView }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const headingId = `case-${entry.id}`;
  const canHide = !entry.comment?.deleted;
  return (
    <article className="panel moderation-case" aria-labelledby={headingId}>
      <p className="moderation-case__badges">
        <span className="badge">{entry.comment ? t('moderation.queue.comment') : t('moderation.queue.post')}</span>
        <span className="badge badge--danger">{t('moderation.queue.reports', { count: entry.reportCount })}</span>
        {entry.comment && entry.post.hidden ? <span className="badge badge--muted">{t('moderation.queue.postHidden')}</span> : null}
      </p>
      <ItemSummary headingId={headingId} item={entry} excerpt={entry.excerpt} gone={t('moderation.queue.deletedComment')} />
      <dl className="details">
        <dt>{t('moderation.queue.author')}</dt>
        <dd>
          <AuthorName author={entry.author} />
        </dd>
        <dt>{t('moderation.queue.firstReported')}</dt>
        <dd>
          <PostDay day={entry.firstReportedDay} />
        </dd>
        <dt>{t('moderation.queue.reasonsLabel')}</dt>
        <dd>
          <ul className="tag-list">
            {entry.reasons.map(({ reason, count }) => (
              <li key={reason}>
                <span className="badge badge--muted">
                  {t('moderation.queue.reasonCount', { reason: t(`moderation.reasons.${reason}`), count })}
                </span>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <section className="moderation-case__notes" aria-labelledby={`${headingId}-notes`}>
        <h3 id={`${headingId}-notes`}>{t('moderation.queue.notesTitle')}</h3>
        {entry.notes.length === 0 ? (
          <p className="small muted">{t('moderation.queue.noNotes')}</p>
        ) : (
          <ul>
            {entry.notes.map((note, index) => (
              // Notes carry no id (nothing that could point to a reporter); their order is fixed.
              <li key={index}>
                <span className="badge badge--muted">{t(`moderation.reasons.${note.reason}`)}</span> {note.note}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="moderation-case__actions">
        {canHide ? (
          <ModerationActionForm
            id={`hide-${entry.id}`}
            intent="hide"
            hidden={{ caseId: entry.id }}
            field={reasonField(t, 'hide')}
            submit={t('moderation.actions.hide')}
            buttonClassName="button button--danger button--small"
            formLabel={t('moderation.actions.hideLabel', { title: entry.post.title })}
            lastResult={resultFor(actionData, 'hide', entry.id)}
          />
        ) : null}
        <ModerationActionForm
          id={`dismiss-${entry.id}`}
          intent="dismiss"
          hidden={{ caseId: entry.id }}
          field={{
            kind: 'note',
            label: t('moderation.actions.dismissNote'),
            hint: t('moderation.actions.dismissHint', { max: MODERATION_LIMITS.dismissNoteMax }),
          }}
          submit={t('moderation.actions.dismiss')}
          buttonClassName="button button--secondary button--small"
          formLabel={t('moderation.actions.dismissLabel', { title: entry.post.title })}
          lastResult={resultFor(actionData, 'dismiss', entry.id)}
        />
      </div>
    </article>
  );
}

function HiddenList({ items }: { items: HiddenItemView[] }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  if (items.length === 0) {
    return (
      <section className="panel" aria-label={t('moderation.hidden.label')}>
        <p className="empty-state">{t('moderation.hidden.empty')}</p>
      </section>
    );
  }
  return (
    <section aria-label={t('moderation.hidden.label')}>
      <ol className="moderation-list">
        {items.map((item) => {
          const id = item.comment?.id ?? item.post.id;
          const headingId = `hidden-${id}`;
          return (
            <li key={id}>
              <article className="panel moderation-case" aria-labelledby={headingId}>
                <p className="moderation-case__badges">
                  <span className="badge">{item.comment ? t('moderation.queue.comment') : t('moderation.queue.post')}</span>
                </p>
                <ItemSummary headingId={headingId} item={item} excerpt={item.excerpt} gone={t('moderation.queue.deletedComment')} />
                <dl className="details">
                  <dt>{t('moderation.queue.author')}</dt>
                  <dd>
                    <AuthorName author={item.author} />
                  </dd>
                  <dt>{t('moderation.hidden.hiddenOn')}</dt>
                  <dd>
                    <PostDay day={item.hiddenDay} />{' '}
                    <span className="muted">
                      {t('moderation.hidden.hiddenBy', { name: item.hiddenBy ?? t('moderation.hidden.moderatorFallback') })}
                    </span>
                  </dd>
                  {item.reason ? (
                    <>
                      <dt>{t('moderation.actions.hideReason')}</dt>
                      <dd>{item.reason}</dd>
                    </>
                  ) : null}
                </dl>
                <div className="moderation-case__actions">
                  <ModerationActionForm
                    id={`restore-${id}`}
                    intent="restore"
                    hidden={item.comment ? { postId: item.post.id, commentId: item.comment.id } : { postId: item.post.id }}
                    field={reasonField(t, 'restore')}
                    submit={t('moderation.actions.restore')}
                    buttonClassName="button button--secondary button--small"
                    formLabel={t('moderation.actions.restoreLabel', { title: item.post.title })}
                    lastResult={resultFor(actionData, 'restore', id)}
                  />
                </div>
              </article>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
