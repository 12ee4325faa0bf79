import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { Money } from '~/components/finance-money';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { BatchStatusBadge, shortId } from '~/components/payment-labels';
import { UtcDate } from '~/components/time';
import { type BatchSummary, listBatches } from '~/domain/payouts/batches.server';
import { requirePermission } from '~/utils/auth.server';
import { decodeCursor, encodeCursor } from '~/utils/cursor.server';
import { pageTitle } from '~/utils/meta';

// finance.batches_.$batchId is a page of its own, not a child of this list.
export const meta: MetaFunction = (args) => pageTitle(args, 'payments.batches.title');

const CursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const cursor = decodeCursor(new URL(request.url).searchParams.get('after') ?? undefined, CursorSchema);
  const { open, past, next } = await listBatches(context.services.db, user, {
    before: cursor ? { createdAt: new Date(cursor[0]), id: cursor[1] } : undefined,
  });
  return {
    open,
    past,
    paged: Boolean(cursor),
    after: next ? encodeCursor([next.createdAt.toISOString(), next.id]) : null,
  };
}

export default function BatchesPage() {
  const { open, past, paged, after } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('payments.batches.title')} intro={t('payments.batches.intro')} />

      <section className="panel" aria-labelledby="open-batches-heading">
        <h2 id="open-batches-heading">{t('payments.batches.openTitle')}</h2>
        {open.length === 0 ? (
          <p className="empty-state">{t('payments.batches.openNone')}</p>
        ) : (
          <BatchTable batches={open} />
        )}
      </section>

      <section className="panel" aria-labelledby="past-batches-heading">
        <h2 id="past-batches-heading">{t('payments.batches.pastTitle')}</h2>
        {past.length === 0 ? (
          <p className="empty-state">{t('payments.batches.pastNone')}</p>
        ) : (
          <BatchTable batches={past} />
        )}
        <NextPageLink after={after}>{t('payments.batches.older')}</NextPageLink>
        {paged ? (
          <p className="actions">
            <Link to="/finance/batches" className="button button--ghost button--small">
              {t('payments.batches.newest')}
            </Link>
          </p>
        ) : null}
      </section>
    </>
  );
}

function BatchTable({ batches }: { batches: readonly BatchSummary[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      columns={[
        t('payments.batches.columns.batch'),
        t('payments.batches.columns.status'),
        t('payments.batches.columns.payments'),
        t('payments.batches.columns.net'),
        t('payments.batches.columns.settled'),
        t('payments.batches.columns.opened'),
        t('payments.batches.columns.exported'),
      ]}
    >
      {batches.map((batch) => (
        <tr key={batch.id}>
          <td>
            <Link to={`/finance/batches/${batch.id}`}>
              <code>{shortId(batch.id)}</code> · {batch.currency}
            </Link>
          </td>
          <td>
            <BatchStatusBadge status={batch.status} />
          </td>
          <td className="numeric">{batch.paymentCount}</td>
          <td className="numeric">
            <Money minor={batch.netMinor} currency={batch.currency} />
          </td>
          <td className="numeric">
            {batch.status === 'open' ? '–' : `${batch.paidCount} / ${batch.returnedCount}`}
          </td>
          <td>
            <UtcDate value={batch.createdAt} />
          </td>
          <td>{batch.exportedAt ? <UtcDate value={batch.exportedAt} /> : '–'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
