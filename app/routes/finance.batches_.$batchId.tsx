import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { Money } from '~/components/finance-money';
import { errorsOf, FormErrors, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { BatchStatusBadge, PaymentStatusBadge, shortId } from '~/components/payment-labels';
import { UtcDateTime } from '~/components/time';
import { isDomainError } from '~/domain/errors';
import { exportBatch, getBatch, markBatchSent, reconcileBatchPayment } from '~/domain/payouts/batches.server';
import { can, requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { notFound } from '~/utils/http.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'payments.batches.title');

const RETURN_REASON_MAX_LENGTH = 500;
const PaymentIdSchema = z.string({ error: 'payments.errors.payment_not_in_batch' }).min(1).max(64);

const BatchActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('export') }),
  z.object({ intent: z.literal('send') }),
  z.object({ intent: z.literal('paid'), paymentId: PaymentIdSchema }),
  z.object({
    intent: z.literal('returned'),
    paymentId: PaymentIdSchema,
    reason: z
      .string({ error: 'payments.errors.reason_required' })
      .trim()
      .min(1, { error: 'payments.errors.reason_required' })
      .max(RETURN_REASON_MAX_LENGTH, { error: `common.errors.tooLong?max=${RETURN_REASON_MAX_LENGTH}` }),
  }),
]);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const locale = await getLocale(request, context);
  try {
    const { batch, payments } = await getBatch(context.services.db, user, { batchId: params.batchId ?? '', locale });
    return { batch, payments, canAct: can(user, 'finance.admin') };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.admin');
  const batchId = params.batchId ?? '';
  const submission = parseWithZod(await request.formData(), { schema: BatchActionSchema });
  if (submission.status !== 'success') {
    const paymentId = typeof submission.payload.paymentId === 'string' ? submission.payload.paymentId : null;
    const result = submission.payload.intent ? submission.reply() : submission.reply({ formErrors: ['payments.errors.unknown_action'] });
    return data({ result, paymentId }, { status: 400 });
  }
  const { db } = context.services;
  const value = submission.value;
  const here = `/finance/batches/${batchId}`;
  try {
    switch (value.intent) {
      case 'export':
        await exportBatch(db, user, { batchId });
        return redirectWithFlash(here, 'payments.flash.exported');
      case 'send':
        await markBatchSent(db, user, { batchId });
        return redirectWithFlash(here, 'payments.flash.sent');
      case 'paid':
      case 'returned': {
        const outcome = await reconcileBatchPayment(
          db,
          user,
          value.intent === 'paid'
            ? { batchId, paymentId: value.paymentId, outcome: 'paid' }
            : { batchId, paymentId: value.paymentId, outcome: 'returned', reason: value.reason },
        );
        const flash = outcome.reconciledBatch ? 'payments.flash.reconciled' : `payments.flash.${value.intent}`;
        return redirectWithFlash(here, flash);
      }
    }
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'payments.errors');
    return data({ result, paymentId: 'paymentId' in value ? value.paymentId : null }, { status: 400 });
  }
}

export default function BatchPage() {
  const { batch, payments, canAct } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const batchErrors = actionData && !actionData.paymentId ? errorsOf(actionData.result) : undefined;
  const waiting = batch.paymentCount - batch.paidCount - batch.returnedCount;
  const reconcilable = canAct && (batch.status === 'sent' || batch.status === 'reconciled');
  const files = `/finance/batches/${batch.id}`;

  return (
    <>
      <p className="finance-back">
        <Link to="/finance/batches">{t('payments.batch.back')}</Link>
      </p>
      <PageHeader title={t('payments.batch.title', { id: `${shortId(batch.id)} · ${batch.currency}` })} intro={t(`payments.batch.intro.${batch.status}`)} />

      <div className="grid payments-batch">
        <section className="panel" aria-labelledby="batch-facts-heading">
          <h2 id="batch-facts-heading">{t('payments.batch.factsTitle')}</h2>
          <dl className="details">
            <dt>{t('payments.batch.facts.status')}</dt>
            <dd>
              <BatchStatusBadge status={batch.status} />
            </dd>
            <dt>{t('payments.batch.facts.payments')}</dt>
            <dd>
              {batch.paymentCount}
              {batch.status !== 'open' ? (
                <span className="small muted">
                  {' '}
                  ({t('payments.batch.facts.progress', { paid: batch.paidCount, returned: batch.returnedCount, waiting })})
                </span>
              ) : null}
            </dd>
            <dt>{t('payments.batch.facts.gross')}</dt>
            <dd>
              <Money minor={batch.grossMinor} currency={batch.currency} />
            </dd>
            <dt>{t('payments.batch.facts.withheld')}</dt>
            <dd>
              <Money minor={batch.withheldMinor} currency={batch.currency} />
            </dd>
            <dt>{t('payments.batch.facts.net')}</dt>
            <dd>
              <strong>
                <Money minor={batch.netMinor} currency={batch.currency} />
              </strong>
            </dd>
            <dt>{t('payments.batch.facts.opened')}</dt>
            <dd>
              <UtcDateTime value={batch.createdAt} />
            </dd>
            {batch.exportedAt ? (
              <>
                <dt>{t('payments.batch.facts.exported')}</dt>
                <dd>
                  <UtcDateTime value={batch.exportedAt} />
                </dd>
              </>
            ) : null}
            {batch.sentAt ? (
              <>
                <dt>{t('payments.batch.facts.sent')}</dt>
                <dd>
                  <UtcDateTime value={batch.sentAt} />
                </dd>
              </>
            ) : null}
            {batch.reconciledAt ? (
              <>
                <dt>{t('payments.batch.facts.reconciled')}</dt>
                <dd>
                  <UtcDateTime value={batch.reconciledAt} />
                </dd>
              </>
            ) : null}
          </dl>
        </section>

        <section className="panel" aria-labelledby="batch-next-heading">
          <h2 id="batch-next-heading">{t('payments.batch.nextTitle')}</h2>
          <FormErrors errors={batchErrors} />
          {!canAct ? (
            <p className="muted">{t('payments.batch.readOnly')}</p>
          ) : batch.status === 'open' ? (
            batch.paymentCount === 0 ? (
              <p className="muted">{t('payments.batch.exportEmpty')}</p>
            ) : (
              <Form method="post" className="form">
                <p className="field__hint">{t('payments.batch.exportHint', { count: batch.paymentCount })}</p>
                <div className="actions">
                  <SubmitButton name="intent" value="export">
                    {t('payments.batch.export')}
                  </SubmitButton>
                </div>
              </Form>
            )
          ) : (
            <>
              <h3>{t('payments.batch.filesTitle')}</h3>
              <p className="actions">
                <a href={`${files}.csv`} className="button button--secondary button--small" download>
                  {t('payments.batch.downloadCsv')}
                </a>
                <a href={`${files}.xml`} className="button button--secondary button--small" download>
                  {t('payments.batch.downloadXml')}
                </a>
              </p>
              <p className="field__hint">{t('payments.batch.filesHint')}</p>
              {batch.status === 'exported' ? (
                <Form method="post" className="form">
                  <p className="field__hint">{t('payments.batch.markSentHint')}</p>
                  <div className="actions">
                    <SubmitButton name="intent" value="send">
                      {t('payments.batch.markSent')}
                    </SubmitButton>
                  </div>
                </Form>
              ) : null}
              {batch.status === 'sent' ? <p className="field__hint">{t('payments.batch.reconcileHint')}</p> : null}
            </>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="batch-payments-heading">
        <h2 id="batch-payments-heading">{t('payments.batch.paymentsTitle')}</h2>
        {payments.length === 0 ? (
          <p className="empty-state">{t('payments.batch.noPayments')}</p>
        ) : (
          <DataTable
            columns={[
              t('payments.batch.columns.payment'),
              t('payments.batch.columns.post'),
              t('payments.batch.columns.beneficiary'),
              t('payments.batch.columns.gross'),
              t('payments.batch.columns.withheld'),
              t('payments.batch.columns.net'),
              t('payments.batch.columns.status'),
              ...(reconcilable ? [t('payments.batch.columns.reconcile')] : []),
            ]}
          >
            {payments.map((payment) => {
              const rowErrors = actionData && actionData.paymentId === payment.id ? errorsOf(actionData.result) : undefined;
              const label = shortId(payment.id);
              const open = payment.status === 'debited' || payment.status === 'submitted';
              return (
                <tr key={payment.id}>
                  <td>
                    <code>{label}</code>
                  </td>
                  <td>
                    <Link to={`/posts/${payment.postId}`}>{payment.postTitle}</Link>
                  </td>
                  <td>
                    {payment.beneficiary}
                    {payment.payeeKind === 'org' ? (
                      <>
                        {' '}
                        <span className="badge badge--muted">{t('payments.batch.paidToOrg')}</span>
                      </>
                    ) : null}
                  </td>
                  <td className="numeric">
                    <Money minor={payment.grossMinor} currency={batch.currency} />
                  </td>
                  <td className="numeric">
                    <Money minor={payment.withheldMinor} currency={batch.currency} />
                  </td>
                  <td className="numeric">
                    <Money minor={payment.netMinor} currency={batch.currency} />
                  </td>
                  <td>
                    <PaymentStatusBadge status={payment.status} />
                    {payment.failureReason ? (
                      <p className="small muted">{t('payments.batch.returnedBecause', { reason: payment.failureReason })}</p>
                    ) : null}
                  </td>
                  {reconcilable ? (
                    <td className="payments-reconcile">
                      {open ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="paymentId" value={payment.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="paid"
                            className="button button--secondary button--small"
                            aria-label={t('payments.batch.markPaidLabel', { id: label })}
                          >
                            {t('payments.batch.markPaid')}
                          </button>
                        </Form>
                      ) : null}
                      {open || payment.status === 'paid' ? (
                        <Form method="post" className="inline-form payments-return">
                          <input type="hidden" name="paymentId" value={payment.id} />
                          <label className="visually-hidden" htmlFor={`return-reason-${payment.id}`}>
                            {t('payments.batch.returnReason')}
                          </label>
                          <input
                            type="text"
                            id={`return-reason-${payment.id}`}
                            name="reason"
                            maxLength={RETURN_REASON_MAX_LENGTH}
                            placeholder={t('payments.batch.returnReasonPlaceholder')}
                            required
                          />
                          <button
                            type="submit"
                            name="intent"
                            value="returned"
                            className="button button--danger button--small"
                            aria-label={t('payments.batch.markReturnedLabel', { id: label })}
                          >
                            {t('payments.batch.markReturned')}
                          </button>
                        </Form>
                      ) : null}
                      <FormErrors errors={rowErrors} />
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
    </>
  );
}
