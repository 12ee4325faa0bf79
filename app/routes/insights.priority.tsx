import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { PageHeader } from '~/components/page-header';
import { PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { OPEN_STATUSES, ORG_GROUPS, PRIORITY_EXPORT_MAX_ROWS, PRIORITY_STATUS_CHOICES, type PrioritySort } from '~/domain/insights/choices';
import {
  listPriority,
  listPriorityFilterOptions,
  type PriorityPage,
} from '~/domain/insights/list-priority.server';
import type { OrgFilterError } from '~/domain/insights/org-breakdown.server';
import { parsePriorityQuery, priorityFilters, priorityQueryString } from '~/domain/insights/priority-query';
import { POST_TYPE_CHOICES } from '~/domain/posts/choices';
import { requirePermission } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'insights.priority.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const locale = await getLocale(request, context);
  const query = parsePriorityQuery(new URL(request.url).searchParams);
  const { db } = context.services;
  const [options, outcome] = await Promise.all([
    listPriorityFilterOptions(db, locale),
    listPriority(db, user, { ...priorityFilters(query), after: query.after, locale }).then(
      (page): { page: PriorityPage; refusal: null } => ({ page, refusal: null }),
      (error: unknown): { page: null; refusal: OrgFilterError } => {
        // An org group filter that would single people out: the page says why, with 400.
        if (isDomainError(error) && error.field === 'org') return { page: null, refusal: error.code as OrgFilterError };
        throw error;
      },
    ),
  ]);
  const body = { ...options, query, ...outcome };
  return outcome.refusal ? data(body, { status: 400 }) : body;
}

/** The table's columns in order; the numeric ones sort. */
const COLUMNS = ['rank', 'title', 'type', 'area', 'status', 'score', 'votes', 'orgs', 'hours', 'sites', 'age'] as const;
const SORTABLE: ReadonlySet<string> = new Set<PrioritySort>(['score', 'votes', 'orgs', 'hours', 'sites', 'age']);

export default function PriorityPage() {
  const { areas, tags, k, query, page, refusal } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const checkedStatuses: readonly string[] = query.statuses.length ? query.statuses : OPEN_STATUSES;
  const filtered = Boolean(query.statuses.length || query.type || query.area || query.tag || query.org);
  const exportHref = `/insights/priority.csv${priorityQueryString(query)}`;
  const sortedColumn = COLUMNS.indexOf(query.sort);

  const header = (column: (typeof COLUMNS)[number]) => {
    const label = t(`insights.priority.columns.${column}`);
    if (!SORTABLE.has(column)) return label;
    const sort = column as PrioritySort;
    const active = query.sort === sort;
    const dir = active && query.dir === 'desc' ? 'asc' : 'desc';
    return (
      <Link to={priorityQueryString(query, { sort, dir })} className="sort-link" preventScrollReset>
        {label}
        {active ? <span aria-hidden="true">{query.dir === 'desc' ? ' ▼' : ' ▲'}</span> : null}
      </Link>
    );
  };

  return (
    <>
      <PageHeader title={t('insights.priority.title')} intro={t('insights.priority.intro')} />

      <section className="panel" aria-label={t('insights.priority.filtersLabel')}>
        <Form method="get" className="filters priority-filters" key={JSON.stringify(query)}>
          <fieldset className="checkbox-list priority-filters__statuses" aria-describedby="priority-status-hint">
            <legend>{t('insights.priority.status')}</legend>
            {PRIORITY_STATUS_CHOICES.map((status) => (
              <label key={status}>
                <input type="checkbox" name="status" value={status} defaultChecked={checkedStatuses.includes(status)} />
                {t(`posts.statuses.${status}`)}
              </label>
            ))}
            <p className="field__hint" id="priority-status-hint">
              {t('insights.priority.statusHint')}
            </p>
          </fieldset>
          <div className="field">
            <label htmlFor="priority-type">{t('insights.priority.type')}</label>
            <select id="priority-type" name="type" defaultValue={query.type ?? ''}>
              <option value="">{t('insights.priority.allTypes')}</option>
              {POST_TYPE_CHOICES.map((type) => (
                <option key={type} value={type}>
                  {t(`posts.types.${type}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="priority-area">{t('insights.priority.area')}</label>
            <select id="priority-area" name="area" defaultValue={query.area ?? ''}>
              <option value="">{t('insights.priority.allAreas')}</option>
              {areas.map((area) => (
                <option key={area.id} value={area.id}>
                  {area.name}
                </option>
              ))}
            </select>
          </div>
          {tags.length > 0 || query.tag ? (
            <div className="field">
              <label htmlFor="priority-tag">{t('insights.priority.tag')}</label>
              <select id="priority-tag" name="tag" defaultValue={query.tag ?? ''}>
                <option value="">{t('insights.priority.allTags')}</option>
                {tags.map((tag) => (
                  <option key={tag.id} value={tag.id}>
                    {tag.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="priority-org">{t('insights.priority.orgGroup')}</label>
            <select
              id="priority-org"
              name="org"
              defaultValue={query.org ?? ''}
              aria-invalid={refusal ? true : undefined}
              aria-describedby={refusal ? 'priority-org-hint priority-org-error' : 'priority-org-hint'}
            >
              <option value="">{t('insights.priority.allGroups')}</option>
              {ORG_GROUPS.map((group) => (
                <option key={group} value={group}>
                  {t(`insights.priority.groups.${group}`)}
                </option>
              ))}
            </select>
            <p className="field__hint" id="priority-org-hint">
              {t('insights.priority.orgGroupHint', { k })}
            </p>
          </div>
          {query.sort !== 'score' ? <input type="hidden" name="sort" value={query.sort} /> : null}
          {query.dir !== 'desc' ? <input type="hidden" name="dir" value={query.dir} /> : null}
          <div className="filters__actions">
            <button type="submit" className="button button--secondary">
              {t('insights.priority.apply')}
            </button>
            {filtered ? (
              <Link to="/insights/priority" className="button button--ghost">
                {t('insights.priority.clear')}
              </Link>
            ) : null}
          </div>
        </Form>
        {refusal ? (
          <p className="form-error priority-refusal" id="priority-org-error" role="alert">
            <strong>{t('insights.priority.refused')}: </strong>
            {t(`insights.errors.${refusal}`, { k })}
          </p>
        ) : null}
      </section>

      {page ? (
        <section className="panel">
          <div className="priority-summary">
            <p>
              <strong>{t('insights.priority.matches', { count: page.total, formatted: number.format(page.total) })}</strong>
            </p>
            {page.total > 0 ? (
              <p className="actions">
                <a href={exportHref} className="button button--secondary button--small" download>
                  {t('insights.priority.download')}
                </a>
                {page.total > PRIORITY_EXPORT_MAX_ROWS ? (
                  <span className="small muted">
                    {t('insights.priority.downloadLimit', { max: number.format(PRIORITY_EXPORT_MAX_ROWS) })}
                  </span>
                ) : null}
              </p>
            ) : null}
          </div>
          <p className="small muted">
            {t('insights.priority.weights', page.weights)} {t('insights.priority.impactNote')}
          </p>
          {page.rows.length === 0 ? (
            <p className="empty-state">{t('insights.priority.empty')}</p>
          ) : (
            <div className="priority-table">
              <DataTable
                columns={COLUMNS.map(header)}
                sorted={{ column: sortedColumn, direction: query.dir === 'desc' ? 'descending' : 'ascending' }}
              >
                {page.rows.map((row) => (
                  <tr key={row.id}>
                    <td className="numeric">{number.format(row.rank)}</td>
                    <td className="priority-table__title">
                      <Link to={`/posts/${row.id}`}>{row.title}</Link>
                    </td>
                    <td>
                      <PostTypeBadge type={row.type} />
                    </td>
                    <td>{row.areaName}</td>
                    <td>
                      <PostStatusBadge status={row.status} />
                    </td>
                    <td className="numeric">
                      <strong>{number.format(row.score)}</strong>
                    </td>
                    <td className="numeric">{number.format(row.votes)}</td>
                    <td className="numeric">{number.format(row.orgs)}</td>
                    <td className="numeric">{row.impactHours === null ? '–' : number.format(row.impactHours)}</td>
                    <td className="numeric">{row.impactSites === null ? '–' : number.format(row.impactSites)}</td>
                    <td className="numeric">{number.format(row.ageDays)}</td>
                  </tr>
                ))}
              </DataTable>
            </div>
          )}
          {query.after || page.nextCursor ? (
            <nav className="actions pager" aria-label={t('insights.priority.pagesLabel')}>
              {query.after ? (
                <Link to={priorityQueryString(query)} className="button button--secondary button--small">
                  {t('insights.priority.first')}
                </Link>
              ) : (
                <span />
              )}
              {page.nextCursor ? (
                <Link to={priorityQueryString(query, { after: page.nextCursor })} className="button button--secondary button--small" rel="next">
                  {t('insights.priority.next')}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
