import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PageHeader } from '~/components/page-header';
import { RoadmapItemCard } from '~/components/roadmap-item-card';
import { RoadmapMonthHeading } from '~/components/roadmap-month-heading';
import { listChangelog } from '~/domain/roadmap/list-changelog.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'roadmap.changelog.title');

// Feed readers and browsers find the feed from the page.
export const links: LinksFunction = () => [{ rel: 'alternate', type: 'application/atom+xml', href: '/changelog.atom' }];

// A bad or stale page link shows the newest page instead of failing.
const ChangelogQuerySchema = z.object({ from: z.string().min(1).max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public, like the roadmap board.
  const query = ChangelogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listChangelog(context.services.db, { from: query.from });
}

export default function ChangelogPage() {
  const { months, olderFrom, newer } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('roadmap.changelog.title')} intro={t('roadmap.changelog.intro')} />
      <p className="actions">
        {/* A document, not a page of this app: a full navigation, no client routing. */}
        <a href="/changelog.atom" className="button button--secondary button--small" type="application/atom+xml">
          {t('roadmap.changelog.subscribe')}
        </a>
        <Link to="/roadmap" className="button button--ghost button--small">
          {t('roadmap.changelog.roadmap')}
        </Link>
      </p>
      {months.length === 0 ? (
        <section className="panel">
          <p className="empty-state">{t('roadmap.changelog.empty')}</p>
        </section>
      ) : (
        months.map((month) => (
          <section key={month.month} className="panel changelog-month" aria-labelledby={`month-${month.month}`}>
            <RoadmapMonthHeading month={month.month} id={`month-${month.month}`} />
            <ol className="changelog-month__items">
              {month.items.map((item) => (
                <li key={item.id}>
                  <RoadmapItemCard item={item} headingLevel={3} />
                </li>
              ))}
            </ol>
          </section>
        ))
      )}
      {newer || olderFrom ? (
        <nav className="actions pager" aria-label={t('roadmap.changelog.pagesLabel')}>
          {newer ? (
            <Link
              to={newer.from ? `?from=${encodeURIComponent(newer.from)}` : '/changelog'}
              className="button button--secondary button--small"
              rel="prev"
            >
              {t('common.actions.newer')}
            </Link>
          ) : null}
          {olderFrom ? (
            <Link to={`?from=${encodeURIComponent(olderFrom)}`} className="button button--secondary button--small" rel="next">
              {t('common.actions.older')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
