import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { PageHeader } from '~/components/page-header';
import { PostDay, PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { TagBadges } from '~/components/tag-badge';
import { FEED_SORTS, POST_STATUS_CHOICES, POST_TYPE_CHOICES } from '~/domain/posts/choices';
import { listFeed } from '~/domain/posts/list-feed.server';
import { listProductAreas } from '~/domain/posts/list-product-areas.server';
import { listActiveTags } from '~/domain/tags/list-tags.server';
import { getCurrentUser } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'posts.feed.title');

// A bad or stale parameter falls back to "no filter" instead of failing the page.
const FeedQuerySchema = z.object({
  sort: z.enum(FEED_SORTS).catch('trending'),
  type: z.enum(POST_TYPE_CHOICES).optional().catch(undefined),
  area: z.string().max(64).optional().catch(undefined),
  status: z.enum(POST_STATUS_CHOICES).optional().catch(undefined),
  tag: z.string().max(40).optional().catch(undefined),
  after: z.string().max(200).optional().catch(undefined),
  before: z.string().max(200).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public like the post page: anyone may read; posting needs an account.
  const user = await getCurrentUser(request, context);
  const locale = await getLocale(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  const query = FeedQuerySchema.parse(params);
  const { db } = context.services;
  const [page, areas, tags] = await Promise.all([
    listFeed(db, user, {
      sort: query.sort,
      type: query.type,
      productAreaId: query.area,
      status: query.status,
      tag: query.tag,
      after: query.after,
      before: query.before,
      locale,
    }),
    listProductAreas(db, locale),
    listActiveTags(db, locale),
  ]);
  return {
    ...page,
    areas,
    tags,
    filters: { sort: query.sort, type: query.type, area: query.area, status: query.status, tag: query.tag },
  };
}

export default function FeedPage() {
  const { posts, nextCursor, prevCursor, areas, tags, filters } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const filtered = Boolean(filters.type || filters.area || filters.status || filters.tag);
  const pageLink = (key: 'after' | 'before', cursor: string) => {
    const search = new URLSearchParams();
    if (filters.sort !== 'trending') search.set('sort', filters.sort);
    if (filters.type) search.set('type', filters.type);
    if (filters.area) search.set('area', filters.area);
    if (filters.status) search.set('status', filters.status);
    if (filters.tag) search.set('tag', filters.tag);
    search.set(key, cursor);
    return `?${search.toString()}`;
  };
  return (
    <>
      <PageHeader title={t('posts.feed.title')} intro={t('posts.feed.intro')} />
      <p className="actions">
        <Link to="/posts/new" className="button">
          {t('posts.feed.newPost')}
        </Link>
      </p>

      <section className="panel" aria-label={t('posts.feed.filtersLabel')}>
        <Form method="get" className="filters" key={JSON.stringify(filters)}>
          <div className="field">
            <label htmlFor="feed-type">{t('posts.feed.type')}</label>
            <select id="feed-type" name="type" defaultValue={filters.type ?? ''}>
              <option value="">{t('posts.feed.allTypes')}</option>
              {POST_TYPE_CHOICES.map((type) => (
                <option key={type} value={type}>
                  {t(`posts.types.${type}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="feed-area">{t('posts.feed.area')}</label>
            <select id="feed-area" name="area" defaultValue={filters.area ?? ''}>
              <option value="">{t('posts.feed.allAreas')}</option>
              {areas.map((area) => (
                <option key={area.id} value={area.id}>
                  {area.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="feed-status">{t('posts.feed.status')}</label>
            <select id="feed-status" name="status" defaultValue={filters.status ?? ''}>
              <option value="">{t('posts.feed.allStatuses')}</option>
              {POST_STATUS_CHOICES.map((status) => (
                <option key={status} value={status}>
                  {t(`posts.statuses.${status}`)}
                </option>
              ))}
            </select>
          </div>
          {tags.length > 0 ? (
            <div className="field">
              <label htmlFor="feed-tag">{t('triage.tags.feedFilter')}</label>
              <select id="feed-tag" name="tag" defaultValue={filters.tag ?? ''}>
                <option value="">{t('triage.tags.allTags')}</option>
                {tags.map((tag) => (
                  <option key={tag.id} value={tag.slug}>
                    {tag.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="feed-sort">{t('posts.feed.sort')}</label>
            <select id="feed-sort" name="sort" defaultValue={filters.sort}>
              {FEED_SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {t(`posts.feed.sorts.${sort}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="filters__actions">
            <button type="submit" className="button button--secondary">
              {t('posts.feed.apply')}
            </button>
            {filtered ? (
              <Link to="/posts" className="button button--ghost">
                {t('posts.feed.clear')}
              </Link>
            ) : null}
          </div>
        </Form>
      </section>

      <section className="panel">
        {posts.length === 0 ? (
          <p className="empty-state">{filtered ? t('posts.feed.emptyFiltered') : t('posts.feed.empty')}</p>
        ) : (
          <DataTable
            columns={[
              t('posts.feed.columns.title'),
              t('posts.feed.columns.type'),
              t('posts.feed.columns.status'),
              t('posts.feed.columns.votes'),
              t('posts.feed.columns.orgs'),
              t('posts.feed.columns.comments'),
              t('posts.feed.columns.posted'),
            ]}
          >
            {posts.map((post) => (
              <tr key={post.id}>
                <td className="post-row__title">
                  <Link to={`/posts/${post.id}`}>{post.title}</Link>
                  <span className="small muted post-row__area">{post.areaName}</span>
                  <TagBadges tags={post.tags} />
                </td>
                <td>
                  <PostTypeBadge type={post.type} />
                </td>
                <td>
                  <PostStatusBadge status={post.status} />
                </td>
                <td className="numeric">{post.voteCount}</td>
                <td className="numeric">{post.orgCount}</td>
                <td className="numeric">{post.commentCount}</td>
                <td>
                  <PostDay day={post.createdDay} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {prevCursor || nextCursor ? (
          <nav className="actions pager" aria-label={t('posts.feed.pagesLabel')}>
            {prevCursor ? (
              <Link to={pageLink('before', prevCursor)} className="button button--secondary button--small" rel="prev">
                {t('common.actions.newer')}
              </Link>
            ) : null}
            {nextCursor ? (
              <Link to={pageLink('after', nextCursor)} className="button button--secondary button--small" rel="next">
                {t('common.actions.older')}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
