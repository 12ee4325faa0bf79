import type { LoaderFunctionArgs } from '@remix-run/node';
import { minorToDecimal } from '~/domain/money/money';
import { getPaidReport, type PaidFigures } from '~/domain/reports/paid-report.server';
import { parseReportQuery, REPORT_BREAKDOWNS, type ReportBreakdown } from '~/domain/reports/report-query';
import { requirePermission } from '~/utils/auth.server';
import { type CsvCell, toCsv } from '~/utils/csv';
import { getT } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';

const isBreakdown = (value: string | null): value is ReportBreakdown => (REPORT_BREAKDOWNS as readonly (string | null)[]).includes(value);

/**
 * /finance/reports.csv?from=&to=&by=month|area|tier: one breakdown of the
 * payout report as a file, amounts as exact decimals in their currency.
 * Customer groups only as tiers of orgs with at least k members, or "other".
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const locale = await getLocale(request, context);
  const t = getT(locale);
  const params = new URL(request.url).searchParams;
  const requested = params.get('by');
  const by: ReportBreakdown = isBreakdown(requested) ? requested : 'month';
  const { query, problem } = parseReportQuery(params);
  if (problem) {
    return new Response(`${t(`payments.errors.${problem}`)}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' },
    });
  }
  const report = await getPaidReport(context.services.db, user, { ...query, locale });
  const amounts = (row: PaidFigures & { currency: string }): CsvCell[] => [
    row.currency,
    row.payments,
    minorToDecimal(row.grossMinor, row.currency),
    minorToDecimal(row.withheldMinor, row.currency),
    minorToDecimal(row.netMinor, row.currency),
  ];
  const figureHeaders = ['currency', 'payments', 'gross', 'withheld', 'net'].map((column) => t(`payments.reports.csv.${column}`));
  const [firstHeader, rows] =
    by === 'month'
      ? [t('payments.reports.csv.month'), report.months.map((row) => [row.month, ...amounts(row)])]
      : by === 'area'
        ? [t('payments.reports.csv.area'), report.areas.map((row) => [row.areaName, ...amounts(row)])]
        : [t('payments.reports.csv.group'), report.groups.map((row) => [t(`payments.reports.groups.${row.group}`), ...amounts(row)])];
  return new Response(toCsv([firstHeader, ...figureHeaders], rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="candor-paid-by-${by}-${query.from}-to-${query.to}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
