import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { RecognitionNav } from '~/components/recognition-nav';
import { formatMoney } from '~/domain/money/money';
import { listHallOfFame } from '~/domain/rewards/hall-of-fame.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'rewards.hallOfFame.title');

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Public: anyone may see who was rewarded, by pseudonym and month only.
  const locale = await getLocale(request, context);
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listHallOfFame(context.services.db, { locale, after });
  return {
    entries: page.entries.map((entry) => ({
      id: entry.id,
      member: entry.member,
      post: entry.post,
      // Null for recognition only: no amount is shown for it.
      amount: entry.honour.kind === 'paid' ? formatMoney(entry.honour.grossMinor, entry.honour.currency, locale) : null,
      month: entry.month,
    })),
    nextAfter: page.nextAfter,
  };
}

export default function HallOfFamePage() {
  const { entries, nextAfter } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('rewards.hallOfFame.title')} intro={t('rewards.hallOfFame.intro')} />
      <RecognitionNav />
      <section className="panel" aria-label={t('rewards.hallOfFame.listLabel')}>
        {entries.length === 0 ? (
          <p className="empty-state">{t('rewards.hallOfFame.empty')}</p>
        ) : (
          <DataTable
            columns={[
              t('rewards.hallOfFame.columns.member'),
              t('rewards.hallOfFame.columns.reward'),
              t('rewards.hallOfFame.columns.post'),
              t('rewards.hallOfFame.columns.month'),
            ]}
          >
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <Link to={`/u/${entry.member.id}`} className="pseudonym-link">
                    <span className="avatar" aria-hidden="true">
                      {entry.member.pseudonym.slice(0, 1)}
                    </span>
                    {entry.member.pseudonym}
                  </Link>
                </td>
                <td className="numeric">
                  {entry.amount ?? <span className="badge badge--success">{t('rewards.hallOfFame.recognised')}</span>}
                </td>
                <td className="post-row__title">
                  <Link to={`/posts/${entry.post.id}`}>{entry.post.title}</Link>
                </td>
                <td>
                  <MonthLabel month={entry.month} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <NextPageLink after={nextAfter}>{t('rewards.hallOfFame.older')}</NextPageLink>
      </section>
    </>
  );
}

/** "March 2026" / "2026年3月": the hall of fame never shows a day. */
function MonthLabel({ month }: { month: string }) {
  const { i18n } = useTranslation();
  const name = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
  return <time dateTime={month}>{name}</time>;
}
