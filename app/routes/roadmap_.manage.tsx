import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { errorsOf, Field, FormErrors, SelectField, SubmitButton, TextareaField } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { Highlighted, PostDay, PostStatusBadge } from '~/components/post-fields';
import { RowActionForm } from '~/components/row-action-form';
import { isDomainError } from '~/domain/errors';
import { createRoadmapItem } from '~/domain/roadmap/create-roadmap-item.server';
import { editRoadmapItem } from '~/domain/roadmap/edit-roadmap-item.server';
import { findPostsToLink, type PostToLink } from '~/domain/roadmap/find-posts-to-link.server';
import { getShipPreview, type ShipPreview } from '~/domain/roadmap/get-ship-preview.server';
import { linkPostToRoadmapItem } from '~/domain/roadmap/link-post-to-roadmap-item.server';
import { listRoadmapForStaff, type StaffRoadmapItem } from '~/domain/roadmap/list-roadmap-for-staff.server';
import { moveRoadmapItem } from '~/domain/roadmap/move-roadmap-item.server';
import {
  OPEN_ROADMAP_STATUSES,
  OpenRoadmapStatusSchema,
  ROADMAP_LIMITS,
  RoadmapDescriptionSchema,
  RoadmapIdSchema,
  RoadmapTitleSchema,
  RoadmapVersionSchema,
  ShipNoteSchema,
} from '~/domain/roadmap/roadmap-input';
import { setRoadmapItemStatus } from '~/domain/roadmap/set-roadmap-item-status.server';
import { type ShipBlocker, ShipBlockedError, shipRoadmapItem } from '~/domain/roadmap/ship-roadmap-item.server';
import { unlinkPostFromRoadmapItem } from '~/domain/roadmap/unlink-post-from-roadmap-item.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

// roadmap_ keeps this page out of the public board's layout (/roadmap).
export const meta: MetaFunction = (args) => pageTitle(args, 'roadmap.manage.title');

const SEARCH_MAX = 200;

const ItemFields = { itemId: RoadmapIdSchema, version: RoadmapVersionSchema };

const CreateItemFormSchema = z.object({
  intent: z.literal('create'),
  title: RoadmapTitleSchema,
  description: RoadmapDescriptionSchema,
  status: OpenRoadmapStatusSchema,
});
const EditItemFormSchema = z.object({
  intent: z.literal('edit'),
  ...ItemFields,
  title: RoadmapTitleSchema,
  description: RoadmapDescriptionSchema,
});
const ShipItemFormSchema = z.object({ intent: z.literal('ship'), ...ItemFields, note: ShipNoteSchema });

const ManageFormSchema = z.discriminatedUnion(
  'intent',
  [
    CreateItemFormSchema,
    EditItemFormSchema,
    ShipItemFormSchema,
    z.object({ intent: z.literal('move-up'), ...ItemFields }),
    z.object({ intent: z.literal('move-down'), ...ItemFields }),
    z.object({ intent: z.literal('start'), ...ItemFields }),
    z.object({ intent: z.literal('back-to-planned'), ...ItemFields }),
    // `q` is the search the link was made from, so the page goes back to its results.
    z.object({ intent: z.literal('link'), itemId: RoadmapIdSchema, postId: RoadmapIdSchema, q: z.string().max(SEARCH_MAX).optional() }),
    z.object({ intent: z.literal('unlink'), itemId: RoadmapIdSchema, postId: RoadmapIdSchema }),
  ],
  { error: 'roadmap.errors.unknownAction' },
);

// Stale or tampered parameters fall back to "none" instead of failing the page.
const ManageQuerySchema = z.object({
  ship: RoadmapIdSchema.optional().catch(undefined),
  link: RoadmapIdSchema.optional().catch(undefined),
  q: z.string().optional().catch(undefined),
});

interface ActionData {
  intent: string | null;
  /** The item whose form answered, so the message shows on that item. */
  itemId: string | null;
  result: SubmissionResult<string[]>;
  /** When shipping was refused: the linked posts that stop it. */
  blocked: { posts: ShipBlocker[]; count: number } | null;
}

/** A stale ?ship= link (an item deleted meanwhile) shows the page without the confirm step. */
function unlessNotFound<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (isDomainError(error) && error.status === 404) return null;
    throw error;
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const query = ManageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { db } = context.services;
  const locale = await getLocale(request, context);
  const searchQuery = query.q?.trim() ?? '';
  const tooLong = searchQuery.length > SEARCH_MAX;
  const [roadmap, shipPreview, results] = await Promise.all([
    listRoadmapForStaff(db, user),
    query.ship ? unlessNotFound(getShipPreview(db, user, query.ship)) : null,
    query.link && searchQuery && !tooLong ? findPostsToLink(db, user, { itemId: query.link, query: searchQuery, locale }) : null,
  ]);
  return {
    roadmap,
    shipPreview,
    linkSearch: query.link ? { itemId: query.link, query: searchQuery, tooLong, results } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const submission = parseWithZod(await request.formData(), { schema: ManageFormSchema });
  const textOf = (value: unknown) => (typeof value === 'string' ? value : null);
  if (submission.status !== 'success') {
    return data<ActionData>(
      { intent: textOf(submission.payload.intent), itemId: textOf(submission.payload.itemId), result: submission.reply(), blocked: null },
      { status: 400 },
    );
  }
  const { db } = context.services;
  const value = submission.value;
  const back = (itemId: string, search = '') => `/roadmap/manage${search}#roadmap-item-${itemId}`;
  try {
    switch (value.intent) {
      case 'create': {
        const { itemId } = await createRoadmapItem(db, user, value);
        return redirectWithFlash(back(itemId), 'roadmap.flash.created');
      }
      case 'edit':
        await editRoadmapItem(db, user, value);
        return redirectWithFlash(back(value.itemId), 'roadmap.flash.updated');
      case 'move-up':
      case 'move-down':
        await moveRoadmapItem(db, user, { ...value, direction: value.intent === 'move-up' ? 'up' : 'down' });
        return redirectWithFlash(back(value.itemId), 'roadmap.flash.moved');
      case 'start':
      case 'back-to-planned':
        await setRoadmapItemStatus(db, user, { ...value, status: value.intent === 'start' ? 'in_progress' : 'planned' });
        return redirectWithFlash(back(value.itemId), 'roadmap.flash.statusChanged');
      case 'ship':
        await shipRoadmapItem(db, user, value);
        return redirectWithFlash(back(value.itemId), 'roadmap.flash.shipped');
      case 'link': {
        await linkPostToRoadmapItem(db, user, value);
        const search = value.q ? `?${new URLSearchParams({ link: value.itemId, q: value.q })}` : '';
        return redirectWithFlash(back(value.itemId, search), 'roadmap.flash.linked');
      }
      case 'unlink':
        await unlinkPostFromRoadmapItem(db, user, value);
        return redirectWithFlash(back(value.itemId), 'roadmap.flash.unlinked');
    }
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'roadmap.errors');
    return data<ActionData>(
      {
        intent: value.intent,
        itemId: 'itemId' in value ? value.itemId : null,
        result,
        blocked: error instanceof ShipBlockedError ? { posts: error.blockers, count: error.blockerCount } : null,
      },
      // 409 for "changed meanwhile" and refused links, 404 for an item gone meanwhile.
      { status: isDomainError(error) ? error.status : 400 },
    );
  }
}

export default function ManageRoadmapPage() {
  const { roadmap, shipPreview, linkSearch } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const columns = [
    { status: 'planned', items: roadmap.planned },
    { status: 'in_progress', items: roadmap.inProgress },
    { status: 'shipped', items: roadmap.shipped },
  ] as const;
  return (
    <>
      <PageHeader title={t('roadmap.manage.title')} intro={t('roadmap.manage.intro')} />
      <p className="actions">
        <Link to="/roadmap" className="button button--secondary button--small">
          {t('roadmap.manage.publicBoard')}
        </Link>
      </p>

      {/* A form the action could not tell apart (no intent) answers here too. */}
      <CreateItemForm lastResult={actionData && (actionData.intent === 'create' || !actionData.itemId) ? actionData.result : undefined} />

      {columns.map(({ status, items }) => (
        <section key={status} className="roadmap-manage-column" aria-labelledby={`manage-column-${status}`}>
          <h2 id={`manage-column-${status}`} className="roadmap-column__title">
            {t(`roadmap.columns.${status}`)}
            <span className="badge badge--muted">{items.length}</span>
          </h2>
          {status === 'shipped' && items.length > 0 ? <p className="small muted">{t('roadmap.manage.shippedNote')}</p> : null}
          {items.length === 0 ? (
            <p className="panel empty-state">{t(`roadmap.manage.none.${status}`)}</p>
          ) : (
            items.map((item, index) => (
              <ItemEditor
                // A new version (after a save, or someone else's change) starts the forms afresh.
                key={`${item.id}-${item.version}`}
                item={item}
                isFirst={index === 0}
                isLast={index === items.length - 1}
                actionData={actionData?.itemId === item.id ? actionData : undefined}
                shipPreview={shipPreview?.itemId === item.id ? shipPreview : null}
                linkSearch={linkSearch?.itemId === item.id ? linkSearch : null}
              />
            ))
          )}
        </section>
      ))}
    </>
  );
}

function CreateItemForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: 'create-roadmap-item',
    lastResult,
    defaultValue: { status: 'planned' },
    constraint: getZodConstraint(CreateItemFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateItemFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <section className="panel" aria-labelledby="create-roadmap-item-heading">
      <h2 id="create-roadmap-item-heading">{t('roadmap.manage.createTitle')}</h2>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field
          meta={fields.title}
          label={t('roadmap.manage.itemTitle')}
          hint={t('roadmap.manage.titleHint', { max: ROADMAP_LIMITS.titleMax })}
          maxLength={ROADMAP_LIMITS.titleMax}
        />
        <TextareaField
          meta={fields.description}
          label={t('roadmap.manage.description')}
          hint={t('roadmap.manage.descriptionHint', { max: ROADMAP_LIMITS.descriptionMax.toLocaleString(i18n.language) })}
          maxLength={ROADMAP_LIMITS.descriptionMax}
          rows={5}
        />
        <SelectField meta={fields.status} label={t('roadmap.manage.column')}>
          {OPEN_ROADMAP_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`roadmap.columns.${status}`)}
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <SubmitButton name="intent" value="create">
            {t('roadmap.manage.create')}
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}

type LinkSearch = { itemId: string; query: string; tooLong: boolean; results: PostToLink[] | null };

function ItemEditor({
  item,
  isFirst,
  isLast,
  actionData,
  shipPreview,
  linkSearch,
}: {
  item: StaffRoadmapItem;
  isFirst: boolean;
  isLast: boolean;
  actionData: ActionData | undefined;
  shipPreview: ShipPreview | null;
  linkSearch: LinkSearch | null;
}) {
  const { t } = useTranslation();
  const shipped = item.status === 'shipped';
  const headingId = `roadmap-item-${item.id}-title`;
  // The edit and ship forms show their own errors; the one-button forms show theirs here.
  const rowErrors = actionData && actionData.intent !== 'edit' && actionData.intent !== 'ship' ? errorsOf(actionData.result) : undefined;
  const row = { itemId: item.id, version: String(item.version) };
  const small = 'button button--secondary button--small';
  return (
    <article className="panel roadmap-manage-item" id={`roadmap-item-${item.id}`} aria-labelledby={headingId}>
      <div className="roadmap-manage-item__head">
        <h3 id={headingId}>{item.title}</h3>
        {shipped ? (
          item.shippedDay ? (
            <p className="small muted">
              <span className="badge badge--success">{t('roadmap.columns.shipped')}</span> <PostDay day={item.shippedDay} />
            </p>
          ) : null
        ) : (
          <div className="roadmap-manage-item__actions">
            {!isFirst ? (
              <RowActionForm intent="move-up" hidden={row} buttonClassName={small} ariaLabel={t('roadmap.manage.moveUpLabel', { title: item.title })}>
                {t('roadmap.manage.moveUp')}
              </RowActionForm>
            ) : null}
            {!isLast ? (
              <RowActionForm intent="move-down" hidden={row} buttonClassName={small} ariaLabel={t('roadmap.manage.moveDownLabel', { title: item.title })}>
                {t('roadmap.manage.moveDown')}
              </RowActionForm>
            ) : null}
            {item.status === 'planned' ? (
              <RowActionForm intent="start" hidden={row} buttonClassName={small} ariaLabel={t('roadmap.manage.startLabel', { title: item.title })}>
                {t('roadmap.manage.start')}
              </RowActionForm>
            ) : (
              <RowActionForm
                intent="back-to-planned"
                hidden={row}
                buttonClassName={small}
                ariaLabel={t('roadmap.manage.backToPlannedLabel', { title: item.title })}
              >
                {t('roadmap.manage.backToPlanned')}
              </RowActionForm>
            )}
            <Link
              to={`?ship=${item.id}#ship-confirm`}
              className="button button--small"
              aria-label={t('roadmap.manage.shipLabel', { title: item.title })}
              preventScrollReset
            >
              {t('roadmap.manage.ship')}
            </Link>
          </div>
        )}
      </div>
      <FormErrors errors={rowErrors} />
      {shipPreview ? <ShipConfirm preview={shipPreview} actionData={actionData?.intent === 'ship' ? actionData : undefined} /> : null}
      {!shipped && item.blockerCount > 0 ? <p className="notice small">{t('roadmap.manage.blockers', { count: item.blockerCount })}</p> : null}
      {item.descriptionHtml ? (
        // Sanitised when written (renderMarkdown), so it is safe to insert as is.
        <div className="prose roadmap-card__description" dangerouslySetInnerHTML={{ __html: item.descriptionHtml }} />
      ) : null}
      <details className="roadmap-manage-item__more" open={actionData?.intent === 'edit'}>
        <summary>{t('roadmap.manage.edit')}</summary>
        <EditItemForm item={item} lastResult={actionData?.intent === 'edit' ? actionData.result : undefined} />
      </details>
      <LinkedPosts item={item} />
      {shipped ? null : <LinkPosts item={item} search={linkSearch} />}
    </article>
  );
}

function EditItemForm({ item, lastResult }: { item: StaffRoadmapItem; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: `edit-${item.id}`,
    lastResult,
    defaultValue: { title: item.title, description: item.description },
    constraint: getZodConstraint(EditItemFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EditItemFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <Form method="post" className="form" aria-label={t('roadmap.manage.editLabel', { title: item.title })} {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="itemId" value={item.id} />
      <input type="hidden" name="version" value={item.version} />
      <Field
        meta={fields.title}
        label={t('roadmap.manage.itemTitle')}
        hint={t('roadmap.manage.titleHint', { max: ROADMAP_LIMITS.titleMax })}
        maxLength={ROADMAP_LIMITS.titleMax}
      />
      <TextareaField
        meta={fields.description}
        label={t('roadmap.manage.description')}
        hint={t('roadmap.manage.descriptionHint', { max: ROADMAP_LIMITS.descriptionMax.toLocaleString(i18n.language) })}
        maxLength={ROADMAP_LIMITS.descriptionMax}
        rows={6}
      />
      <div className="actions">
        <SubmitButton name="intent" value="edit">
          {t('roadmap.manage.save')}
        </SubmitButton>
      </div>
    </Form>
  );
}

function ShipConfirm({ preview, actionData }: { preview: ShipPreview; actionData: ActionData | undefined }) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: `ship-${preview.itemId}`,
    lastResult: actionData?.result,
    constraint: getZodConstraint(ShipItemFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ShipItemFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  // The refusal the action just gave, else what the preview already knows.
  const blocked = actionData?.blocked ?? (preview.blockerCount > 0 ? { posts: preview.blockers, count: preview.blockerCount } : null);
  const cancel = (
    <Link to={`/roadmap/manage#roadmap-item-${preview.itemId}`} className="button button--ghost" preventScrollReset>
      {t('roadmap.manage.shipConfirm.cancel')}
    </Link>
  );
  return (
    <section className="roadmap-ship-confirm" id="ship-confirm" aria-labelledby="ship-confirm-title">
      <h4 id="ship-confirm-title">{t('roadmap.manage.shipConfirm.title', { title: preview.title })}</h4>
      {preview.status === 'shipped' ? (
        <p>{t('roadmap.manage.shipConfirm.alreadyDone')}</p>
      ) : blocked ? (
        <>
          <FormErrors errors={form.errors} />
          <p>
            <strong>{t('roadmap.manage.shipConfirm.blocked', { count: blocked.count })}</strong>
          </p>
          <ul className="roadmap-posts">
            {blocked.posts.map((post) => (
              <li key={post.id} className="roadmap-posts__post">
                <Link to={`/posts/${post.id}`}>{post.title}</Link>
                <span className="roadmap-posts__meta">
                  <PostStatusBadge status={post.status} />
                </span>
              </li>
            ))}
          </ul>
          {blocked.count > blocked.posts.length ? (
            <p className="small">{t('roadmap.manage.shipConfirm.blockedMore', { count: blocked.count - blocked.posts.length })}</p>
          ) : null}
          <p>{t('roadmap.manage.shipConfirm.blockedHelp')}</p>
          <div className="actions">{cancel}</div>
        </>
      ) : (
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <p>
            {preview.toShip > 0
              ? t('roadmap.manage.shipConfirm.toShip', { count: preview.toShip })
              : t('roadmap.manage.shipConfirm.nothingToShip')}
            {preview.alreadyShipped > 0 ? ` ${t('roadmap.manage.shipConfirm.alreadyShipped', { count: preview.alreadyShipped })}` : null}
          </p>
          <p>
            <strong>{t('roadmap.manage.shipConfirm.final')}</strong>
          </p>
          <input type="hidden" name="itemId" value={preview.itemId} />
          <input type="hidden" name="version" value={preview.version} />
          <TextareaField
            meta={fields.note}
            label={t('roadmap.manage.shipConfirm.note')}
            hint={t('roadmap.manage.shipConfirm.noteHint', { max: ROADMAP_LIMITS.shipNoteMax.toLocaleString(i18n.language) })}
            maxLength={ROADMAP_LIMITS.shipNoteMax}
            rows={3}
          />
          <div className="actions">
            <SubmitButton name="intent" value="ship">
              {t('roadmap.manage.shipConfirm.submit', { count: preview.toShip })}
            </SubmitButton>
            {cancel}
          </div>
        </Form>
      )}
    </section>
  );
}

function LinkedPosts({ item }: { item: StaffRoadmapItem }) {
  const { t } = useTranslation();
  if (item.postCount === 0) return <p className="small muted roadmap-card__summary">{t('roadmap.item.noPosts')}</p>;
  return (
    <>
      <h4 className="roadmap-card__summary">{t('roadmap.item.summary', { count: item.postCount, votes: item.totalVotes })}</h4>
      <ul className="roadmap-posts" aria-label={t('roadmap.item.postsLabel', { title: item.title })}>
        {item.posts.map((post) => (
          <li key={post.id} className="roadmap-posts__post">
            <Link to={`/posts/${post.id}`}>{post.title}</Link>
            <span className="roadmap-posts__meta">
              <PostStatusBadge status={post.status} />
              {post.hidden ? <span className="badge badge--muted">{t('roadmap.manage.hiddenBadge')}</span> : null}
              {post.blocksShipping ? <span className="badge badge--danger">{t('roadmap.manage.blocksBadge')}</span> : null}
              <span className="badge badge--muted">{t('roadmap.item.votes', { count: post.voteCount })}</span>
              {item.status === 'shipped' ? null : (
                <RowActionForm
                  intent="unlink"
                  hidden={{ itemId: item.id, postId: post.id }}
                  buttonClassName="button button--ghost button--small"
                  ariaLabel={t('roadmap.manage.unlinkLabel', { title: post.title })}
                >
                  {t('roadmap.manage.unlink')}
                </RowActionForm>
              )}
            </span>
          </li>
        ))}
      </ul>
      {item.postCount > item.posts.length ? (
        <p className="small muted">{t('roadmap.manage.postsShown', { shown: item.posts.length, count: item.postCount })}</p>
      ) : null}
    </>
  );
}

function LinkPosts({ item, search }: { item: StaffRoadmapItem; search: LinkSearch | null }) {
  const { t } = useTranslation();
  const inputId = `link-search-${item.id}`;
  return (
    <details className="roadmap-manage-item__more" open={search !== null}>
      <summary>{t('roadmap.manage.link.title')}</summary>
      {/* A GET form: the results are a page of their own, bookmarkable and without JavaScript. */}
      <Form method="get" action={`/roadmap/manage#roadmap-item-${item.id}`} className="form" preventScrollReset>
        <input type="hidden" name="link" value={item.id} />
        <div className="field">
          <label htmlFor={inputId}>{t('roadmap.manage.link.search')}</label>
          <div className="search-form">
            <input
              type="search"
              id={inputId}
              name="q"
              defaultValue={search?.query ?? ''}
              maxLength={SEARCH_MAX}
              aria-describedby={`${inputId}-hint`}
              aria-invalid={search?.tooLong ? true : undefined}
            />
            <button type="submit" className="button button--secondary">
              {t('roadmap.manage.link.submit')}
            </button>
          </div>
          <p className="field__hint" id={`${inputId}-hint`}>
            {t('roadmap.manage.link.searchHint')}
          </p>
          {search?.tooLong ? (
            <p className="field__error" role="alert">
              {t('roadmap.errors.queryTooLong')}
            </p>
          ) : null}
        </div>
      </Form>
      {search?.results ? (
        search.results.length === 0 ? (
          <p className="small muted">{t('roadmap.manage.link.noResults', { query: search.query })}</p>
        ) : (
          <ul className="search-results" aria-label={t('roadmap.manage.link.resultsLabel', { query: search.query })}>
            {search.results.map((post) => {
              const title = post.title.map((segment) => segment.text).join('');
              return (
                <li key={post.id} className="search-result roadmap-link-result">
                  <div>
                    <p className="search-result__title">
                      <Link to={`/posts/${post.id}`}>
                        <Highlighted segments={post.title} />
                      </Link>
                    </p>
                    <p className="small muted search-result__meta">
                      <PostStatusBadge status={post.status} /> {t('roadmap.item.votes', { count: post.voteCount })} · {post.areaName}
                    </p>
                  </div>
                  {post.refusal ? (
                    <span className="small muted">
                      {t(`roadmap.manage.link.refusals.${post.refusal}`, { title: post.roadmapItem?.title ?? '' })}
                    </span>
                  ) : (
                    <RowActionForm
                      intent="link"
                      hidden={{ itemId: item.id, postId: post.id, q: search.query }}
                      buttonClassName="button button--small"
                      ariaLabel={t('roadmap.manage.link.linkLabel', { title })}
                    >
                      {t('roadmap.manage.link.link')}
                    </RowActionForm>
                  )}
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </details>
  );
}
