import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PageHeader } from '~/components/page-header';
import { Highlighted, PostDay, PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { searchPosts } from '~/domain/posts/search-posts.server';
import { getCurrentUser } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'posts.search.title');

const SEARCH_MAX = 200;
const SearchQuerySchema = z.object({ q: z.string().catch(''), after: z.string().max(300).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public like the post page: anyone may read; posting needs an account.
  const user = await getCurrentUser(request, context);
  const params = SearchQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const raw = params.q.trim();
  // An over-long query is cut, and the page says so, rather than failing.
  const tooLong = raw.length > SEARCH_MAX;
  const query = raw.slice(0, SEARCH_MAX);
  const { results, nextCursor } = query
    ? await searchPosts(context.services.db, user, { query, after: params.after, locale: await getLocale(request, context) })
    : { results: [], nextCursor: null };
  return { query, tooLong, results, nextCursor, paged: Boolean(params.after) };
}

export default function SearchPage() {
  const { query, tooLong, results, nextCursor, paged } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('posts.search.title')} intro={t('posts.search.intro')} />
      <section className="panel">
        <Form method="get" role="search" className="search-form">
          <label htmlFor="search-q" className="visually-hidden">
            {t('posts.search.label')}
          </label>
          <input id="search-q" type="search" name="q" defaultValue={query} maxLength={SEARCH_MAX} key={query} />
          <button type="submit" className="button">
            {t('posts.search.submit')}
          </button>
        </Form>
        {tooLong ? <p className="field__hint">{t('posts.errors.queryTooLong')}</p> : null}
      </section>

      <section className="panel" aria-label={t('posts.search.resultsLabel')}>
        {!query ? (
          <p className="empty-state">{t('posts.search.prompt')}</p>
        ) : results.length === 0 ? (
          <p className="empty-state">{t('posts.search.noResults', { query })}</p>
        ) : (
          <>
            {/* The total is known only when everything fits on one page; counting every match would grow with the posts. */}
            {!paged && !nextCursor ? (
              <p className="muted small">{t('posts.search.resultCount', { count: results.length })}</p>
            ) : !paged ? (
              <p className="muted small">{t('posts.search.morePages')}</p>
            ) : null}
            <ol className="search-results">
              {results.map((result) => (
                <li key={result.id} className="search-result">
                  <h2 className="search-result__title">
                    <Link to={`/posts/${result.id}`}>
                      <Highlighted segments={result.title} />
                    </Link>
                  </h2>
                  <p className="search-result__meta small muted">
                    <PostTypeBadge type={result.type} /> <PostStatusBadge status={result.status} /> {result.areaName} ·{' '}
                    {t('posts.compose.votes', { count: result.voteCount })} · <PostDay day={result.createdDay} />
                  </p>
                  <p className="search-result__snippet">
                    <Highlighted segments={result.snippet} />
                  </p>
                </li>
              ))}
            </ol>
            {paged || nextCursor ? (
              <nav className="actions pager" aria-label={t('posts.search.pagesLabel')}>
                {paged ? (
                  <Link to={`?${new URLSearchParams({ q: query })}`} className="button button--secondary button--small">
                    {t('posts.search.first')}
                  </Link>
                ) : null}
                {nextCursor ? (
                  <Link
                    to={`?${new URLSearchParams({ q: query, after: nextCursor })}`}
                    className="button button--secondary button--small"
                    rel="next"
                  >
                    {t('posts.search.more')}
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
