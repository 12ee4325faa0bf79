import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { BarChart } from '~/components/charts/bar-chart';
import { ColumnChart } from '~/components/charts/column-chart';
import { LineChart } from '~/components/charts/line-chart';
import { PageHeader } from '~/components/page-header';
import { INFLOW_WINDOWS } from '~/domain/insights/choices';
import { getInsightsDashboard } from '~/domain/insights/get-insights-dashboard.server';
import { requirePermission } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'insights.dashboard.title');

// A bad or stale ?days= falls back to the default window.
const DashboardQuerySchema = z.object({
  days: z.coerce
    .number()
    .pipe(z.union(INFLOW_WINDOWS.map((days) => z.literal(days))))
    .catch(30),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const locale = await getLocale(request, context);
  const { days } = DashboardQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { dashboard: await getInsightsDashboard(context.services.db, user, { locale, inflowDays: days }) };
}

export default function InsightsDashboardPage() {
  const { dashboard } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const weekFormat = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const weekLabels = dashboard.weeks.map((week) => weekFormat.format(new Date(`${week}T00:00:00Z`)));
  const weeks = dashboard.weeks.length;
  const list = (parts: string[]) => parts.join(t('insights.dashboard.listSeparator'));

  const { statusOverTime, triageTime, slaBreaches, inflow, demand } = dashboard;
  const statusSeries = statusOverTime.map((series) => ({
    key: series.status,
    label: t(`posts.statuses.${series.status}`),
    values: series.counts,
  }));
  const latestTriage = triageTime.medianHours.findLastIndex((hours) => hours !== null);
  const breachTotal = slaBreaches.counts.reduce((sum, count) => sum + count, 0);
  const inflowRows = inflow.areas.map((area) => ({ key: area.id, label: area.name, values: [area.complaints, area.requests] }));
  const demandRows = [
    ...demand.rows.map((row) => ({
      key: row.key,
      label: t('insights.dashboard.demand.named', { tier: t(`common.tiers.${row.tier}`), ordinal: row.ordinal }),
      metrics: row.metrics,
    })),
    ...(demand.other ? [{ key: 'other', label: t('insights.dashboard.demand.other'), metrics: demand.other.metrics }] : []),
  ].map(({ key, label, metrics }) => ({
    key,
    label,
    values: [metrics.weighted],
    valueText: t('insights.dashboard.demand.valueText', { weighted: number.format(metrics.weighted), votes: number.format(metrics.votes) }),
    extra: [number.format(metrics.votes)],
  }));

  return (
    <>
      <PageHeader title={t('insights.dashboard.title')} intro={t('insights.dashboard.intro')} />

      <section className="panel">
        <LineChart
          title={t('insights.dashboard.status.title')}
          note={t('insights.dashboard.status.note', { weeks })}
          description={t('insights.dashboard.status.desc', {
            weeks,
            summary: list(statusSeries.map((series) => `${series.label} ${number.format(series.values.at(-1) ?? 0)}`)),
          })}
          empty={statusSeries.every((series) => series.values.every((value) => value === 0)) ? t('insights.dashboard.status.empty') : null}
          categories={weekLabels}
          categoryHeader={t('insights.dashboard.week')}
          series={statusSeries}
        />
      </section>

      <div className="insights-grid">
        <section className="panel">
          <ColumnChart
            title={t('insights.dashboard.triage.title')}
            note={t('insights.dashboard.triage.note')}
            description={t('insights.dashboard.triage.desc', {
              summary:
                latestTriage < 0
                  ? ''
                  : t('insights.dashboard.triage.latest', {
                      week: weekLabels[latestTriage],
                      hours: number.format(triageTime.medianHours[latestTriage]!),
                      count: triageTime.triaged[latestTriage],
                    }),
            })}
            empty={latestTriage < 0 ? t('insights.dashboard.triage.empty', { weeks }) : null}
            categories={weekLabels}
            categoryHeader={t('insights.dashboard.week')}
            valueHeader={t('insights.dashboard.triage.valueHeader')}
            values={triageTime.medianHours}
          />
        </section>

        <section className="panel">
          <ColumnChart
            title={t('insights.dashboard.sla.title')}
            note={t('insights.dashboard.sla.note', { hours: slaBreaches.slaHours })}
            description={t('insights.dashboard.sla.desc', { total: breachTotal, weeks, overdue: slaBreaches.overdueNow })}
            empty={breachTotal === 0 ? t('insights.dashboard.sla.empty', { weeks }) : null}
            categories={weekLabels}
            categoryHeader={t('insights.dashboard.week')}
            valueHeader={t('insights.dashboard.sla.valueHeader')}
            values={slaBreaches.counts}
          />
          <p className="chart__footer">
            {slaBreaches.overdueNow > 0
              ? t('insights.dashboard.sla.overdueNow', { count: slaBreaches.overdueNow })
              : t('insights.dashboard.sla.overdueNone')}{' '}
            {slaBreaches.overdueNow > 0 ? <Link to="/triage">{t('insights.dashboard.sla.openInbox')}</Link> : null}
          </p>
        </section>
      </div>

      <div className="insights-grid">
        <section className="panel">
          <nav className="segmented" aria-label={t('insights.dashboard.inflow.periodLabel')}>
            {INFLOW_WINDOWS.map((days) => (
              <Link
                key={days}
                to={days === 30 ? '/insights' : `/insights?days=${days}`}
                aria-current={inflow.days === days ? 'true' : undefined}
                preventScrollReset
              >
                {t('insights.dashboard.inflow.days', { days })}
              </Link>
            ))}
          </nav>
          <BarChart
            title={t('insights.dashboard.inflow.title')}
            note={t('insights.dashboard.inflow.note', { days: inflow.days })}
            description={t('insights.dashboard.inflow.desc', {
              days: inflow.days,
              summary: list(inflowRows.map((row) => `${row.label} ${number.format(row.values[0]! + row.values[1]!)}`)),
            })}
            empty={inflowRows.every((row) => row.values[0] === 0 && row.values[1] === 0) ? t('insights.dashboard.inflow.empty', { days: inflow.days }) : null}
            rows={inflowRows}
            categoryHeader={t('insights.dashboard.inflow.area')}
            segmentLabels={[t('posts.types.complaint'), t('posts.types.request')]}
            totalHeader={t('insights.dashboard.inflow.total')}
          />
        </section>

        <section className="panel">
          <BarChart
            title={t('insights.dashboard.demand.title')}
            note={t('insights.dashboard.demand.note', { k: demand.k })}
            description={t('insights.dashboard.demand.desc', {
              summary: list(demandRows.map((row) => `${row.label} ${row.valueText}`)),
            })}
            empty={demandRows.length === 0 ? t('insights.dashboard.demand.empty') : null}
            rows={demandRows}
            categoryHeader={t('insights.dashboard.demand.customer')}
            segmentLabels={[t('insights.dashboard.demand.weighted')]}
            extraHeaders={[t('insights.dashboard.demand.votes')]}
          />
        </section>
      </div>
    </>
  );
}
