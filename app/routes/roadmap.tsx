import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '~/components/page-header';
import { RoadmapItemCard } from '~/components/roadmap-item-card';
import type { RoadmapCard } from '~/domain/roadmap/roadmap-cards.server';
import { listRoadmapBoard } from '~/domain/roadmap/list-roadmap-board.server';
import { can, getCurrentUser } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'roadmap.board.title');

export const links: LinksFunction = () => [{ rel: 'alternate', type: 'application/atom+xml', href: '/changelog.atom' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public: anyone may read the plan, signed in or not.
  const user = await getCurrentUser(request, context);
  const board = await listRoadmapBoard(context.services.db);
  return { board, canManage: can(user, 'triage') };
}

export default function RoadmapPage() {
  const { board, canManage } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('roadmap.board.title')} intro={t('roadmap.board.intro')} />
      {canManage ? (
        <p className="actions">
          <Link to="/roadmap/manage" className="button button--secondary">
            {t('roadmap.board.manage')}
          </Link>
        </p>
      ) : null}
      <div className="roadmap-board" role="group" aria-label={t('roadmap.board.columnsLabel')}>
        <RoadmapColumn status="planned" items={board.planned} />
        <RoadmapColumn status="in_progress" items={board.inProgress} />
        <RoadmapColumn status="shipped" items={board.shipped}>
          {board.shipped.length > 0 ? (
            <p className="roadmap-column__more">
              <Link to="/changelog">{t('roadmap.board.allShipped')}</Link>
            </p>
          ) : null}
        </RoadmapColumn>
      </div>
    </>
  );
}

function RoadmapColumn({
  status,
  items,
  children,
}: {
  status: 'planned' | 'in_progress' | 'shipped';
  items: RoadmapCard[];
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const headingId = `roadmap-column-${status}`;
  return (
    <section className={`roadmap-column roadmap-column--${status}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="roadmap-column__title">
        {t(`roadmap.columns.${status}`)}
        {status !== 'shipped' ? <span className="badge badge--muted">{items.length}</span> : null}
      </h2>
      {items.length === 0 ? (
        <p className="empty-state">{t(`roadmap.board.empty.${status}`)}</p>
      ) : (
        <ol className="roadmap-column__items">
          {items.map((item) => (
            <li key={item.id}>
              <RoadmapItemCard item={item} headingLevel={3} />
            </li>
          ))}
        </ol>
      )}
      {children}
    </section>
  );
}
