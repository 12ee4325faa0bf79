import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { Money } from '~/components/finance-money';
import { PageHeader } from '~/components/page-header';
import { shortId } from '~/components/payment-labels';
import { UtcDateTime } from '~/components/time';
import { isDomainError } from '~/domain/errors';
import { ORG_GROUPS } from '~/domain/insights/choices';
import { LEDGER_KIND_CHOICES, ledgerQueryString, parseLedgerQuery } from '~/domain/reports/ledger-query';
import { type LedgerFilterError, type LedgerPage, listLedger } from '~/domain/reports/list-ledger.server';
import { getSettings } from '~/domain/settings/settings.server';
import { requirePermission } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'payments.ledger.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const locale = await getLocale(request, context);
  const query = parseLedgerQuery(new URL(request.url).searchParams);
  const { db } = context.services;
  try {
    const page = await listLedger(db, user, { query, locale });
    return { query, page, refusal: null, k: page.k };
  } catch (error) {
    // A customer group that would single people out: the page says why, with 400.
    if (!isDomainError(error) || error.field !== 'org') throw error;
    const { anonymityThreshold } = await getSettings(db);
    return data({ query, page: null, refusal: error.code as LedgerFilterError, k: anonymityThreshold }, { status: 400 });
  }
}

export default function LedgerPageView() {
  const { query, page, refusal, k } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const filtered = Boolean(query.pool || query.kinds.length || query.from || query.to || query.area || query.group);

  return (
    <>
      <p className="finance-back">
        <Link to="/finance/reports">{t('payments.reports.title')}</Link>
      </p>
      <PageHeader title={t('payments.ledger.title')} intro={t('payments.ledger.intro')} />

      <section className="panel" aria-label={t('payments.ledger.filtersLabel')}>
        <Form method="get" className="filters payments-ledger-filters" key={JSON.stringify(query)}>
          <fieldset className="checkbox-list payments-ledger-filters__kinds" aria-describedby="ledger-kinds-hint">
            <legend>{t('payments.ledger.kinds')}</legend>
            {LEDGER_KIND_CHOICES.map((kind) => (
              <label key={kind}>
                <input type="checkbox" name="kind" value={kind} defaultChecked={query.kinds.includes(kind)} />
                {t(`payments.ledger.kindNames.${kind}`)}
              </label>
            ))}
            <p className="field__hint" id="ledger-kinds-hint">
              {t('payments.ledger.kindsHint')}
            </p>
          </fieldset>
          <div className="field">
            <label htmlFor="ledger-pool">{t('payments.ledger.pool')}</label>
            <select id="ledger-pool" name="pool" defaultValue={query.pool ?? ''}>
              <option value="">{t('payments.ledger.allPools')}</option>
              {(page?.pools ?? []).map((pool) => (
                <option key={pool.id} value={pool.id}>
                  {pool.name} ({pool.currency})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ledger-from">{t('payments.ledger.from')}</label>
            <input type="month" id="ledger-from" name="from" defaultValue={query.from ?? ''} pattern="[0-9]{4}-[0-9]{2}" placeholder="YYYY-MM" />
          </div>
          <div className="field">
            <label htmlFor="ledger-to">{t('payments.ledger.to')}</label>
            <input type="month" id="ledger-to" name="to" defaultValue={query.to ?? ''} pattern="[0-9]{4}-[0-9]{2}" placeholder="YYYY-MM" />
          </div>
          <div className="field">
            <label htmlFor="ledger-area">{t('payments.ledger.area')}</label>
            <select id="ledger-area" name="area" defaultValue={query.area ?? ''} aria-describedby="ledger-area-hint">
              <option value="">{t('payments.ledger.allAreas')}</option>
              {(page?.areas ?? []).map((area) => (
                <option key={area.id} value={area.id}>
                  {area.name}
                </option>
              ))}
            </select>
            <p className="field__hint" id="ledger-area-hint">
              {t('payments.ledger.areaHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="ledger-group">{t('payments.ledger.group')}</label>
            <select
              id="ledger-group"
              name="group"
              defaultValue={query.group ?? ''}
              aria-invalid={refusal ? true : undefined}
              aria-describedby={refusal ? 'ledger-group-hint ledger-group-error' : 'ledger-group-hint'}
            >
              <option value="">{t('payments.ledger.allGroups')}</option>
              {ORG_GROUPS.map((group) => (
                <option key={group} value={group}>
                  {t(`payments.reports.groups.${group}`)}
                </option>
              ))}
            </select>
            <p className="field__hint" id="ledger-group-hint">
              {t('payments.ledger.groupHint', { k })}
            </p>
          </div>
          <div className="filters__actions">
            <button type="submit" className="button button--secondary">
              {t('payments.ledger.apply')}
            </button>
            {filtered ? (
              <Link to="/finance/ledger" className="button button--ghost">
                {t('payments.ledger.clear')}
              </Link>
            ) : null}
          </div>
        </Form>
        {refusal ? (
          <p className="form-error" id="ledger-group-error" role="alert">
            <strong>{t('payments.ledger.refused')}: </strong>
            {t(refusal === 'org_group_folded' ? 'payments.errors.org_group_folded' : `insights.errors.${refusal}`, { k })}
          </p>
        ) : null}
      </section>

      {page ? (
        <LedgerResults
          page={page}
          nextHref={page.next ? `/finance/ledger${ledgerQueryString(query, { after: page.next })}` : null}
          firstHref={query.after ? `/finance/ledger${ledgerQueryString(query)}` : null}
        />
      ) : null}
    </>
  );
}

function LedgerResults({ page, nextHref, firstHref }: { page: LedgerPage; nextHref: string | null; firstHref: string | null }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  if (page.matching === 0) {
    return (
      <section className="panel">
        <p className="empty-state">{t('payments.ledger.none')}</p>
      </section>
    );
  }
  return (
    <>
      <section className="panel" aria-labelledby="ledger-totals-heading">
        <h2 id="ledger-totals-heading">{t('payments.ledger.totalsTitle')}</h2>
        <p className="small muted">{t('payments.ledger.totalsNote')}</p>
        <DataTable columns={[t('payments.ledger.columns.account'), t('payments.ledger.columns.currency'), t('payments.ledger.columns.sum')]}>
          {page.totals.map((row) => (
            <tr key={`${row.accountKind}-${row.currency}`}>
              <th scope="row">{t(`payments.ledger.accounts.${row.accountKind}`)}</th>
              <td>{row.currency}</td>
              <td className="numeric">
                <Money minor={row.amountMinor} currency={row.currency} />
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section className="panel" aria-label={t('payments.ledger.title')}>
        <p>
          <strong>{t('payments.ledger.matching', { count: page.matching, formatted: number.format(page.matching) })}</strong>
        </p>
        <DataTable
          columns={[
            t('payments.ledger.columns.posted'),
            t('payments.ledger.columns.kind'),
            t('payments.ledger.columns.pool'),
            t('payments.ledger.columns.entries'),
            t('payments.ledger.columns.memo'),
            t('payments.ledger.columns.by'),
            t('payments.ledger.columns.payment'),
          ]}
        >
          {page.transactions.map((transaction) => (
            <tr key={transaction.id}>
              <td>
                <UtcDateTime value={transaction.createdAt} />
                <br />
                <code className="small muted">{transaction.idempotencyKey}</code>
              </td>
              <td>{t(`payments.ledger.kindNames.${transaction.kind}`)}</td>
              <td>{transaction.poolName ?? '–'}</td>
              <td>
                <ul className="payments-entries">
                  {transaction.entries.map((entry, index) => (
                    // Entries are shown in the order they were written; the index is their stable key.
                    <li key={index}>
                      <span>{t(`payments.ledger.accounts.${entry.accountKind}`)}</span>{' '}
                      <span className="numeric">
                        <Money minor={entry.amountMinor} currency={entry.currency} />
                      </span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>{transaction.memo ?? '–'}</td>
              <td>
                {transaction.postedBy ? (transaction.postedBy.displayName ?? t('finance.staffFallback')) : t('payments.ledger.system')}
              </td>
              <td>
                {transaction.paymentId ? (
                  <>
                    <code>{shortId(transaction.paymentId)}</code>
                    {transaction.batchId ? (
                      <>
                        {' · '}
                        <Link to={`/finance/batches/${transaction.batchId}`}>{t('payments.ledger.inBatch', { id: shortId(transaction.batchId) })}</Link>
                      </>
                    ) : null}
                  </>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        <p className="actions">
          {nextHref ? (
            <Link to={nextHref} className="button button--secondary button--small">
              {t('payments.ledger.older')}
            </Link>
          ) : null}
          {firstHref ? (
            <Link to={firstHref} className="button button--ghost button--small">
              {t('payments.ledger.newest')}
            </Link>
          ) : null}
        </p>
      </section>
    </>
  );
}
