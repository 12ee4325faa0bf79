import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { Money } from '~/components/finance-money';
import { PageHeader } from '~/components/page-header';
import { type LedgerQuery, ledgerQueryString, PAID_TRANSACTION_KINDS } from '~/domain/reports/ledger-query';
import { getPaidReport, type PaidFigures } from '~/domain/reports/paid-report.server';
import { parseReportQuery, type ReportBreakdown, reportQueryString } from '~/domain/reports/report-query';
import { requirePermission } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'payments.reports.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const { query, problem } = parseReportQuery(new URL(request.url).searchParams);
  if (problem) return data({ query, problem, report: null }, { status: 400 });
  const locale = await getLocale(request, context);
  const report = await getPaidReport(context.services.db, user, { ...query, locale });
  return { query, problem: null, report };
}

export default function ReportsPage() {
  const { query, problem, report } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const monthFormat = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const monthName = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));
  /** The ledger transactions a row adds up: the period's settlements and their reversals, narrowed as the row is. */
  const ledgerLink = (narrow: Partial<LedgerQuery>) =>
    `/finance/ledger${ledgerQueryString({ kinds: [...PAID_TRANSACTION_KINDS], from: query.from, to: query.to, ...narrow })}`;
  const manyCurrencies = (report?.totals.length ?? 0) > 1;
  const csvLink = (by: ReportBreakdown) => `/finance/reports.csv${reportQueryString(query, { by })}`;

  return (
    <>
      <PageHeader title={t('payments.reports.title')} intro={t('payments.reports.intro')} />

      <section className="panel" aria-label={t('payments.reports.periodLabel')}>
        <Form method="get" className="filters" key={JSON.stringify(query)}>
          <MonthField name="from" label={t('payments.reports.from')} value={query.from} invalid={Boolean(problem)} />
          <MonthField name="to" label={t('payments.reports.to')} value={query.to} invalid={Boolean(problem)} />
          <div className="filters__actions">
            <button type="submit" className="button button--secondary">
              {t('payments.reports.apply')}
            </button>
            <Link to="/finance/ledger" className="button button--ghost">
              {t('payments.reports.openLedger')}
            </Link>
          </div>
        </Form>
        {problem ? (
          <p className="form-error" id="report-period-error" role="alert">
            <strong>{t('payments.reports.refused')}: </strong>
            {t(`payments.errors.${problem}`)}
          </p>
        ) : null}
      </section>

      {report ? (
        report.totals.length === 0 ? (
          <section className="panel">
            <p className="empty-state">{t('payments.reports.none')}</p>
          </section>
        ) : (
          <>
            <ReportSection title={t('payments.reports.totalsTitle')} id="totals">
              <FiguresTable
                firstColumn={t('payments.reports.columns.currency')}
                rows={report.totals.map((row) => ({
                  key: row.currency,
                  label: row.currency,
                  currency: row.currency,
                  figures: row,
                  ledger: ledgerLink({}),
                }))}
              />
            </ReportSection>

            <ReportSection title={t('payments.reports.monthsTitle')} id="months" download={csvLink('month')}>
              <FiguresTable
                firstColumn={t('payments.reports.columns.month')}
                showCurrency={manyCurrencies}
                rows={report.months.map((row) => ({
                  key: `${row.month}-${row.currency}`,
                  label: monthName(row.month),
                  currency: row.currency,
                  figures: row,
                  ledger: ledgerLink({ from: row.month, to: row.month }),
                }))}
              />
            </ReportSection>

            <ReportSection title={t('payments.reports.areasTitle')} id="areas" download={csvLink('area')}>
              <FiguresTable
                firstColumn={t('payments.reports.columns.area')}
                showCurrency={manyCurrencies}
                rows={report.areas.map((row) => ({
                  key: `${row.areaId}-${row.currency}`,
                  label: row.areaName,
                  currency: row.currency,
                  figures: row,
                  ledger: ledgerLink({ area: row.areaId }),
                }))}
              />
            </ReportSection>

            <ReportSection title={t('payments.reports.groupsTitle')} id="groups" download={report.groups.length ? csvLink('tier') : undefined}>
              <p className="small muted">{t('payments.reports.groupsNote', { k: report.k })}</p>
              {report.groupsWithheld && report.groups.length === 0 ? (
                <p className="empty-state">{t('payments.reports.groupsWithheld', { k: report.k })}</p>
              ) : (
                <FiguresTable
                  firstColumn={t('payments.reports.columns.group')}
                  showCurrency={manyCurrencies}
                  rows={report.groups.map((row) => ({
                    key: `${row.group}-${row.currency}`,
                    label: t(`payments.reports.groups.${row.group}`),
                    currency: row.currency,
                    figures: row,
                    ledger: ledgerLink({ group: row.group }),
                  }))}
                />
              )}
            </ReportSection>
          </>
        )
      ) : null}
    </>
  );
}

function MonthField({ name, label, value, invalid }: { name: string; label: string; value: string; invalid: boolean }) {
  return (
    <div className="field">
      <label htmlFor={`report-${name}`}>{label}</label>
      <input
        type="month"
        id={`report-${name}`}
        name={name}
        defaultValue={value}
        pattern="[0-9]{4}-[0-9]{2}"
        placeholder="YYYY-MM"
        required
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? 'report-period-error' : undefined}
      />
    </div>
  );
}

function ReportSection({ title, id, download, children }: { title: string; id: string; download?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby={`report-${id}-heading`}>
      <div className="payments-report__head">
        <h2 id={`report-${id}-heading`}>{title}</h2>
        {download ? (
          <a href={download} className="button button--secondary button--small" download>
            {t('payments.reports.download')}
          </a>
        ) : null}
      </div>
      {children}
    </section>
  );
}

interface FiguresRow {
  key: string;
  label: string;
  currency: string;
  figures: PaidFigures;
  ledger: string;
}

/** Figures per row; with more than one currency paid, each row also names its currency. */
function FiguresTable({ firstColumn, rows, showCurrency = false }: { firstColumn: string; rows: FiguresRow[]; showCurrency?: boolean }) {
  const { t } = useTranslation();
  return (
    <DataTable
      columns={[
        firstColumn,
        ...(showCurrency ? [t('payments.reports.columns.currency')] : []),
        t('payments.reports.columns.payments'),
        t('payments.reports.columns.gross'),
        t('payments.reports.columns.withheld'),
        t('payments.reports.columns.net'),
        t('payments.reports.columns.trace'),
      ]}
    >
      {rows.map((row) => (
        <tr key={row.key}>
          <th scope="row">{row.label}</th>
          {showCurrency ? <td>{row.currency}</td> : null}
          <td className="numeric">{row.figures.payments}</td>
          <td className="numeric">
            <Money minor={row.figures.grossMinor} currency={row.currency} />
          </td>
          <td className="numeric">
            <Money minor={row.figures.withheldMinor} currency={row.currency} />
          </td>
          <td className="numeric">
            <Money minor={row.figures.netMinor} currency={row.currency} />
          </td>
          <td>
            <Link to={row.ledger} aria-label={t('payments.reports.traceLabel', { row: row.label })}>
              {t('payments.reports.trace')}
            </Link>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
