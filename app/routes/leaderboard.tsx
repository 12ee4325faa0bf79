import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { PageHeader } from '~/components/page-header';
import { RecognitionNav } from '~/components/recognition-nav';
import { listLeaderboard } from '~/domain/profiles/list-leaderboard.server';
import { ADOPTED_POINTS, SHIPPED_POINTS } from '~/domain/profiles/reputation';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'rewards.leaderboard.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public: the KOL leaderboard, pseudonyms and points only.
  const locale = await getLocale(request, context);
  return { rows: await listLeaderboard(context.services.db, { locale }) };
}

export default function LeaderboardPage() {
  const { rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('rewards.leaderboard.title')}
        intro={t('rewards.leaderboard.intro', { adopted: String(ADOPTED_POINTS), shipped: String(SHIPPED_POINTS) })}
      />
      <RecognitionNav />
      <section className="panel" aria-label={t('rewards.leaderboard.listLabel')}>
        {rows.length === 0 ? (
          <p className="empty-state">{t('rewards.leaderboard.empty')}</p>
        ) : (
          <DataTable
            columns={[
              t('rewards.leaderboard.columns.rank'),
              t('rewards.leaderboard.columns.member'),
              t('rewards.leaderboard.columns.adopted'),
              t('rewards.leaderboard.columns.shipped'),
              t('rewards.leaderboard.columns.points'),
              t('rewards.leaderboard.columns.badges'),
            ]}
            sorted={{ column: 4, direction: 'descending' }}
          >
            {rows.map((row) => (
              <tr key={row.member.id}>
                <td className="numeric">{row.rank}</td>
                <td>
                  <Link to={`/u/${row.member.id}`} className="pseudonym-link">
                    <span className="avatar" aria-hidden="true">
                      {row.member.pseudonym.slice(0, 1)}
                    </span>
                    {row.member.pseudonym}
                  </Link>
                </td>
                <td className="numeric">{row.adopted}</td>
                <td className="numeric">{row.shipped}</td>
                <td className="numeric">
                  <strong>{row.points}</strong>
                </td>
                <td>
                  <ul className="badge-list badge-list--compact">
                    {row.badges.map((badge) => (
                      <li key={badge}>
                        <span className="badge">{t(`profile.badges.short.${badge}`)}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
