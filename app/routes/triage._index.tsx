import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { errorsOf, FormErrors, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { PostTypeBadge } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { POST_STATUS_CHOICES, POST_TYPE_CHOICES } from '~/domain/posts/choices';
import { listProductAreas } from '~/domain/posts/list-product-areas.server';
import { listActiveTags } from '~/domain/tags/list-tags.server';
import { bulkTriage, type BulkTriageInput } from '~/domain/triage/bulk-triage.server';
import { BULK_MAX_POSTS, TRIAGE_ASSIGNEE_FILTERS } from '~/domain/triage/choices';
import { listTriageInbox } from '~/domain/triage/list-triage-inbox.server';
import { listTriagers } from '~/domain/triage/list-triagers.server';
import { triageRefusalMessage } from '~/domain/triage/refusal-message';
import { allowedTransitions, STATUS_NOTE_MAX_LENGTH } from '~/domain/triage/transitions';
import { can, requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { getT } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'triage.inbox.title');

// A bad or stale parameter falls back to "no filter" instead of failing the page.
const InboxQuerySchema = z.object({
  area: z.string().max(64).optional().catch(undefined),
  type: z.enum(POST_TYPE_CHOICES).optional().catch(undefined),
  assignee: z.enum(TRIAGE_ASSIGNEE_FILTERS).catch('anyone'),
  after: z.string().max(200).optional().catch(undefined),
});

// Each selected row sends "<post id>:<version shown>", so a post changed meanwhile is refused.
const SelectionShape = {
  post: z
    .array(z.string().regex(/^[a-z0-9]{1,64}:[0-9]{1,9}$/, { error: 'triage.errors.unknownAction' }), {
      error: 'triage.errors.no_selection',
    })
    .min(1, { error: 'triage.errors.no_selection' })
    .max(BULK_MAX_POSTS, { error: `triage.errors.too_many?max=${BULK_MAX_POSTS}` }),
};
const IdField = (error: string) => z.string({ error }).min(1, { error }).max(64, { error });

const BulkFormSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('set-area'), ...SelectionShape, productAreaId: IdField('triage.errors.areaRequired') }),
    z.object({ intent: z.literal('add-tag'), ...SelectionShape, tagId: IdField('triage.errors.tagRequired') }),
    z.object({
      intent: z.literal('set-status'),
      ...SelectionShape,
      status: z.enum(POST_STATUS_CHOICES, { error: 'triage.errors.statusRequired' }),
      note: z
        .string()
        .trim()
        .max(STATUS_NOTE_MAX_LENGTH, { error: `common.errors.tooLong?max=${STATUS_NOTE_MAX_LENGTH}` })
        .optional(),
    }),
    // "me", "none" (unassign) or a triager's id.
    z.object({ intent: z.literal('assign'), ...SelectionShape, assignee: IdField('triage.errors.assigneeRequired') }),
  ],
  { error: 'triage.errors.unknownAction' },
);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const locale = await getLocale(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  const query = InboxQuerySchema.parse(params);
  const { db } = context.services;
  const [page, areas, tags, triagers] = await Promise.all([
    listTriageInbox(db, user, { productAreaId: query.area, type: query.type, assignee: query.assignee, after: query.after, locale }),
    listProductAreas(db, locale),
    listActiveTags(db, locale),
    listTriagers(db, user, locale),
  ]);
  return {
    ...page,
    areas,
    tags,
    // The inbox lists open posts only, so these are the statuses they can move to.
    statuses: allowedTransitions('open'),
    otherTriagers: triagers.filter((triager) => triager.id !== user.id),
    filters: { area: query.area, type: query.type, assignee: query.assignee, after: query.after },
    canManageTags: can(user, 'product.admin'),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: BulkFormSchema });
  // Sent back so the rows stay ticked when the page shows the refusal.
  const selected = formData.getAll('post').map(String);
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), selected }, { status: 400 });
  }
  const form = submission.value;
  const posts = form.post.map((ref) => {
    const [postId = '', version = ''] = ref.split(':');
    return { postId, expectedVersion: Number(version) };
  });
  const bulkAction: BulkTriageInput['action'] =
    form.intent === 'set-area'
      ? { kind: 'area', productAreaId: form.productAreaId }
      : form.intent === 'add-tag'
        ? { kind: 'tag', tagId: form.tagId }
        : form.intent === 'set-status'
          ? { kind: 'status', status: form.status, note: form.note }
          : { kind: 'assign', assigneeId: form.assignee === 'me' ? user.id : form.assignee === 'none' ? null : form.assignee };
  try {
    const { changed } = await bulkTriage(context.services.db, user, { posts, action: bulkAction });
    // Back to the same filters and page the action was sent from.
    const search = new URLSearchParams(new URL(request.url).search);
    search.delete('index');
    const back = search.size > 0 ? `/triage?${search.toString()}` : '/triage';
    return redirectWithFlash(back, changed > 0 ? 'triage.flash.bulkDone' : 'triage.flash.bulkNothing');
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.status === 403) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
    const t = getT(await getLocale(request, context));
    const message = triageRefusalMessage(error, (status) => t(`posts.statuses.${status}`), true);
    return data({ result: submission.reply({ formErrors: [message] }), selected }, { status: error.status });
  }
}

export default function TriageInboxPage() {
  const { posts, nextCursor, slaHours, areas, tags, statuses, otherTriagers, filters, canManageTags } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const filtered = Boolean(filters.area || filters.type || filters.assignee !== 'anyone');
  const selected = new Set(actionData?.selected ?? []);
  const bulkForm = useRef<HTMLFormElement>(null);
  const assigneeSelect = useRef<HTMLSelectElement>(null);
  const assignButton = useRef<HTMLButtonElement>(null);
  const keyHelp = useRef<HTMLDetailsElement>(null);
  useTriageShortcuts({ form: bulkForm, assigneeSelect, assignButton, keyHelp });
  const hydrated = useHydrated();

  const pageLink = (after: string | null) => {
    const search = new URLSearchParams();
    if (filters.area) search.set('area', filters.area);
    if (filters.type) search.set('type', filters.type);
    if (filters.assignee !== 'anyone') search.set('assignee', filters.assignee);
    if (after) search.set('after', after);
    return search.size > 0 ? `?${search.toString()}` : '/triage';
  };

  return (
    <>
      <PageHeader title={t('triage.inbox.title')} intro={t('triage.inbox.intro', { hours: slaHours })} />
      {canManageTags ? (
        <p className="actions">
          <Link to="/triage/tags" className="button button--secondary">
            {t('triage.inbox.manageTags')}
          </Link>
        </p>
      ) : null}

      <section className="panel" aria-label={t('triage.inbox.filtersLabel')}>
        <Form method="get" className="filters" key={JSON.stringify(filters)}>
          <div className="field">
            <label htmlFor="inbox-area">{t('triage.inbox.area')}</label>
            <select id="inbox-area" name="area" defaultValue={filters.area ?? ''}>
              <option value="">{t('triage.inbox.allAreas')}</option>
              {areas.map((area) => (
                <option key={area.id} value={area.id}>
                  {area.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="inbox-type">{t('triage.inbox.type')}</label>
            <select id="inbox-type" name="type" defaultValue={filters.type ?? ''}>
              <option value="">{t('triage.inbox.allTypes')}</option>
              {POST_TYPE_CHOICES.map((type) => (
                <option key={type} value={type}>
                  {t(`posts.types.${type}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="inbox-assignee">{t('triage.inbox.assignee')}</label>
            <select id="inbox-assignee" name="assignee" defaultValue={filters.assignee}>
              {TRIAGE_ASSIGNEE_FILTERS.map((choice) => (
                <option key={choice} value={choice}>
                  {t(`triage.inbox.assignees.${choice}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="filters__actions">
            <button type="submit" className="button button--secondary">
              {t('triage.inbox.apply')}
            </button>
            {filtered ? (
              <Link to="/triage" className="button button--ghost">
                {t('triage.inbox.clear')}
              </Link>
            ) : null}
          </div>
        </Form>
      </section>

      {posts.length === 0 ? (
        <section className="panel">
          <p className="empty-state">{filtered ? t('triage.inbox.emptyFiltered') : t('triage.inbox.empty')}</p>
        </section>
      ) : (
        <Form method="post" ref={bulkForm} className="triage-inbox">
          <section className="panel bulk-actions" aria-labelledby="bulk-title">
            <h2 id="bulk-title">{t('triage.bulk.title')}</h2>
            <p className="small muted">{t('triage.bulk.hint')}</p>
            <FormErrors errors={errorsOf(actionData?.result)} />
            <div className="bulk-actions__grid">
              <fieldset className="bulk-action">
                <legend>{t('triage.bulk.area')}</legend>
                <label className="visually-hidden" htmlFor="bulk-area">
                  {t('triage.bulk.area')}
                </label>
                <select id="bulk-area" name="productAreaId" defaultValue="">
                  <option value="">{t('triage.bulk.areaChoose')}</option>
                  {areas.map((area) => (
                    <option key={area.id} value={area.id}>
                      {area.name}
                    </option>
                  ))}
                </select>
                <SubmitButton name="intent" value="set-area" className="button button--secondary button--small">
                  {t('triage.bulk.areaSubmit')}
                </SubmitButton>
              </fieldset>
              <fieldset className="bulk-action">
                <legend>{t('triage.bulk.tag')}</legend>
                {tags.length === 0 ? (
                  <p className="small muted">{t('triage.bulk.noTags')}</p>
                ) : (
                  <>
                    <label className="visually-hidden" htmlFor="bulk-tag">
                      {t('triage.bulk.tag')}
                    </label>
                    <select id="bulk-tag" name="tagId" defaultValue="">
                      <option value="">{t('triage.bulk.tagChoose')}</option>
                      {tags.map((tag) => (
                        <option key={tag.id} value={tag.id}>
                          {tag.name}
                        </option>
                      ))}
                    </select>
                    <SubmitButton name="intent" value="add-tag" className="button button--secondary button--small">
                      {t('triage.bulk.tagSubmit')}
                    </SubmitButton>
                  </>
                )}
              </fieldset>
              <fieldset className="bulk-action bulk-action--wide">
                <legend>{t('triage.bulk.status')}</legend>
                <label className="visually-hidden" htmlFor="bulk-status">
                  {t('triage.bulk.status')}
                </label>
                <select id="bulk-status" name="status" defaultValue="">
                  <option value="">{t('triage.bulk.statusChoose')}</option>
                  {statuses.map((status) => (
                    <option key={status} value={status}>
                      {t(`posts.statuses.${status}`)}
                    </option>
                  ))}
                </select>
                <label htmlFor="bulk-note" className="small">
                  {t('triage.bulk.note')}
                </label>
                <textarea
                  id="bulk-note"
                  name="note"
                  rows={2}
                  maxLength={STATUS_NOTE_MAX_LENGTH}
                  aria-describedby="bulk-note-hint"
                />
                <p className="field__hint" id="bulk-note-hint">
                  {t('triage.bulk.noteHint')}
                </p>
                <SubmitButton name="intent" value="set-status" className="button button--secondary button--small">
                  {t('triage.bulk.statusSubmit')}
                </SubmitButton>
              </fieldset>
              <fieldset className="bulk-action">
                <legend>{t('triage.bulk.assign')}</legend>
                <label className="visually-hidden" htmlFor="bulk-assignee">
                  {t('triage.bulk.assignTo')}
                </label>
                <select id="bulk-assignee" name="assignee" defaultValue="" ref={assigneeSelect}>
                  <option value="">{t('triage.bulk.assignChoose')}</option>
                  <option value="me">{t('triage.bulk.me')}</option>
                  {otherTriagers.map((triager) => (
                    <option key={triager.id} value={triager.id}>
                      {triager.name}
                    </option>
                  ))}
                  <option value="none">{t('triage.bulk.nobody')}</option>
                </select>
                <button type="submit" name="intent" value="assign" className="button button--secondary button--small" ref={assignButton}>
                  {t('triage.bulk.assignSubmit')}
                </button>
              </fieldset>
            </div>
          </section>

          <section className="panel" aria-label={t('triage.inbox.listLabel')}>
            <p className="small muted keyboard-hint">
              {t('triage.keys.hint')}
            </p>
            <details className="keyboard-help" ref={keyHelp}>
              <summary>{t('triage.keys.title')}</summary>
              <dl className="keyboard-help__list">
                {(
                  [
                    ['j', 'next'],
                    ['k', 'previous'],
                    ['x', 'select'],
                    ['o / Enter', 'open'],
                    ['a', 'assign'],
                    ['?', 'help'],
                  ] as const
                ).map(([key, what]) => (
                  <div key={key} className="keyboard-help__row">
                    <dt>
                      <kbd>{key}</kbd>
                    </dt>
                    <dd>{t(`triage.keys.${what}`)}</dd>
                  </div>
                ))}
              </dl>
            </details>
            <DataTable
              columns={[
                hydrated ? (
                  <input
                    type="checkbox"
                    aria-label={t('triage.inbox.selectAll')}
                    onChange={(event) => {
                      for (const box of bulkForm.current?.querySelectorAll<HTMLInputElement>('input[name="post"]') ?? []) {
                        box.checked = event.currentTarget.checked;
                      }
                    }}
                  />
                ) : (
                  <span className="visually-hidden">{t('triage.inbox.columns.select')}</span>
                ),
                t('triage.inbox.columns.title'),
                t('triage.inbox.columns.type'),
                t('triage.inbox.columns.area'),
                t('triage.inbox.columns.age'),
                t('triage.inbox.columns.votes'),
                t('triage.inbox.columns.assignee'),
                t('triage.inbox.columns.sla'),
              ]}
            >
              {posts.map((post) => {
                const ref = `${post.id}:${post.version}`;
                return (
                  <tr key={ref} data-triage-row="">
                    <td>
                      <input
                        type="checkbox"
                        name="post"
                        value={ref}
                        defaultChecked={selected.has(ref)}
                        aria-label={t('triage.inbox.selectPost', { title: post.title })}
                      />
                    </td>
                    <td className="post-row__title">
                      <Link to={`/posts/${post.id}`} data-triage-open="">
                        {post.title}
                      </Link>
                    </td>
                    <td>
                      <PostTypeBadge type={post.type} />
                    </td>
                    <td>{post.areaName}</td>
                    <td className="nowrap">
                      {post.ageHours < 48
                        ? t('triage.inbox.ageHours', { count: post.ageHours })
                        : t('triage.inbox.ageDays', { count: Math.floor(post.ageHours / 24) })}
                    </td>
                    <td className="numeric">{post.voteCount}</td>
                    <td>{post.assignee ? post.assignee.name : <span className="muted">{t('triage.inbox.unassigned')}</span>}</td>
                    <td className="nowrap">
                      {post.overdue ? (
                        <span className="badge badge--danger">{t('triage.inbox.overdue')}</span>
                      ) : (
                        <span className="small muted">{t('triage.inbox.dueIn', { count: Math.max(1, slaHours - post.ageHours) })}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
            {nextCursor || filters.after ? (
              <nav className="actions pager" aria-label={t('triage.inbox.pagesLabel')}>
                {filters.after ? (
                  <Link to={pageLink(null)} className="button button--secondary button--small">
                    {t('triage.inbox.first')}
                  </Link>
                ) : null}
                {nextCursor ? (
                  <Link to={pageLink(nextCursor)} className="button button--secondary button--small" rel="next">
                    {t('triage.inbox.next')}
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </section>
        </Form>
      )}
    </>
  );
}

/** True once React runs in the browser: controls that need JavaScript appear only then. */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * Desktop shortcuts (listed on the page): j/k move the focus between rows,
 * x ticks the focused row, o (or Enter) opens it, a assigns the ticked rows (or the
 * focused one) to me, ? shows the list. Inactive while typing in a field.
 * Everything they do can be done with the mouse and without JavaScript.
 */
function useTriageShortcuts(refs: {
  form: React.RefObject<HTMLFormElement>;
  assigneeSelect: React.RefObject<HTMLSelectElement>;
  assignButton: React.RefObject<HTMLButtonElement>;
  keyHelp: React.RefObject<HTMLDetailsElement>;
}) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const typing =
        target?.isContentEditable ||
        target instanceof HTMLTextAreaElement ||
        target instanceof HTMLSelectElement ||
        (target instanceof HTMLInputElement && !['checkbox', 'radio', 'submit', 'button'].includes(target.type));
      if (typing) return;

      const form = refs.form.current;
      const rows = [...(form?.querySelectorAll<HTMLTableRowElement>('[data-triage-row]') ?? [])];
      const current = rows.findIndex((row) => row.contains(document.activeElement));
      const linkOf = (row: HTMLTableRowElement | undefined) => row?.querySelector<HTMLAnchorElement>('[data-triage-open]');
      const boxOf = (row: HTMLTableRowElement | undefined) => row?.querySelector<HTMLInputElement>('input[name="post"]');

      switch (event.key) {
        case 'j':
          linkOf(rows[current < 0 ? 0 : Math.min(current + 1, rows.length - 1)])?.focus();
          break;
        case 'k':
          linkOf(rows[Math.max(current - 1, 0)])?.focus();
          break;
        case 'x':
          boxOf(rows[current])?.click();
          break;
        case 'o':
          linkOf(rows[current])?.click();
          break;
        case 'Enter':
          // On the focused link the browser opens it; on a row's checkbox Enter
          // would submit the bulk form instead, so it opens the row's post too.
          if (!(target instanceof HTMLInputElement) || current < 0) return;
          linkOf(rows[current])?.click();
          break;
        case 'a': {
          if (!form || !refs.assigneeSelect.current || !refs.assignButton.current) return;
          const ticked = form.querySelectorAll('input[name="post"]:checked').length;
          const focusedBox = boxOf(rows[current]);
          if (ticked === 0 && !focusedBox) return;
          if (ticked === 0 && focusedBox) focusedBox.checked = true;
          refs.assigneeSelect.current.value = 'me';
          form.requestSubmit(refs.assignButton.current);
          break;
        }
        case '?':
          if (refs.keyHelp.current) refs.keyHelp.current.open = !refs.keyHelp.current.open;
          break;
        default:
          return;
      }
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [refs.form, refs.assigneeSelect, refs.assignButton, refs.keyHelp]);
}
