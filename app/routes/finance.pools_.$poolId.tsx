import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { PoolStateBadge } from '~/components/finance-badges';
import { BurnDownChart } from '~/components/finance-burn-down';
import { Money } from '~/components/finance-money';
import { Field, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PostDay } from '~/components/post-fields';
import { UtcDateTime } from '~/components/time';
import { isDomainError } from '~/domain/errors';
import { AmountTextSchema, refineAmount } from '~/domain/money/amount-input';
import { findPoolCurrency, getPool } from '~/domain/pools/get-pool.server';
import { topUpPool } from '~/domain/pools/top-up-pool.server';
import { can, requirePermission } from '~/utils/auth.server';
import { randomId } from '~/utils/crypto.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { notFound } from '~/utils/http.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'finance.pools.detailTitle');

const TOP_UP_REASON_MAX_LENGTH = 500;

const TopUpFieldsSchema = z.object({
  amount: AmountTextSchema,
  reason: z
    .string({ error: 'finance.pools.errors.reason_required' })
    .trim()
    .min(1, { error: 'finance.pools.errors.reason_required' })
    .max(TOP_UP_REASON_MAX_LENGTH, { error: `common.errors.tooLong?max=${TOP_UP_REASON_MAX_LENGTH}` }),
  // Rendered fresh with each form: the same form sent twice tops up once.
  submissionKey: z.string({ error: 'finance.pools.errors.stale_form' }).min(8).max(64, { error: 'finance.pools.errors.stale_form' }),
});

/** The amount is read in the pool's currency, known from the loader here and from the database in the action. */
function topUpFormSchema(currency: string) {
  return TopUpFieldsSchema.transform((form, ctx) => {
    const amountMinor = refineAmount(ctx, form.amount, currency, 'amount');
    return amountMinor === null ? z.NEVER : { ...form, amountMinor };
  });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  try {
    const detail = await getPool(context.services.db, user, params.poolId ?? '');
    return { ...detail, canManage: can(user, 'finance.admin'), submissionKey: randomId() };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.admin');
  const { db } = context.services;
  const poolId = params.poolId ?? '';
  const currency = await findPoolCurrency(db, user, poolId);
  if (!currency) throw notFound();
  const submission = parseWithZod(await request.formData(), { schema: topUpFormSchema(currency) });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const { amountMinor, reason, submissionKey } = submission.value;
  try {
    await topUpPool(db, user, { poolId, amountMinor, reason, submissionKey });
  } catch (error) {
    if (isDomainError(error) && error.code === 'pool_closed') {
      return data({ result: submission.reply({ formErrors: ['finance.pools.errors.pool_closed'] }) }, { status: 409 });
    }
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
  return redirectWithFlash(`/finance/pools/${poolId}`, 'finance.flash.toppedUp');
}

export default function PoolPage() {
  const { pool, burnDown, topUps, canManage, submissionKey } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const stats = [
    { key: 'budget', minor: pool.budgetMinor },
    { key: 'available', minor: pool.availableMinor },
    { key: 'reserved', minor: pool.reservedMinor },
    { key: 'spent', minor: pool.spentMinor },
    { key: 'remaining', minor: pool.remainingMinor },
  ] as const;
  return (
    <>
      <p className="finance-back">
        <Link to="/finance/pools">{t('finance.pools.back')}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>{pool.name}</h1>
          <p>
            <PoolStateBadge state={pool.state} /> <code>{pool.currency}</code> · <PostDay day={pool.periodStart} /> –{' '}
            <PostDay day={pool.periodEnd} />
          </p>
        </div>
      </header>
      {pool.state === 'closed' ? <p className="notice">{t('finance.pools.closedNotice')}</p> : null}

      <section className="panel" aria-labelledby="pool-balances-heading">
        <h2 id="pool-balances-heading">{t('finance.pools.balancesTitle')}</h2>
        <dl className="finance-stats">
          {stats.map((stat) => (
            <div key={stat.key} className="finance-stat">
              <dt>{t(`finance.pools.columns.${stat.key}`)}</dt>
              <dd>
                <Money minor={stat.minor} currency={pool.currency} />
              </dd>
            </div>
          ))}
        </dl>
        <p className="muted small">{t('finance.pools.legend')}</p>
      </section>

      <section className="panel">
        <BurnDownChart
          weeks={burnDown}
          currency={pool.currency}
          budgetMinor={pool.budgetMinor}
          periodStart={pool.periodStart}
          periodEnd={pool.periodEnd}
        />
      </section>

      {canManage && pool.state !== 'closed' ? <TopUpForm currency={pool.currency} submissionKey={submissionKey} /> : null}

      <section className="panel" aria-labelledby="top-ups-heading">
        <h2 id="top-ups-heading">{t('finance.pools.topUpsTitle')}</h2>
        {topUps.length === 0 ? (
          <p className="empty-state">{t('finance.pools.noTopUps')}</p>
        ) : (
          <DataTable
            columns={[t('finance.pools.topUpColumns.at'), t('finance.pools.topUpColumns.amount'), t('finance.pools.topUpColumns.reason'), t('finance.pools.topUpColumns.by')]}
          >
            {topUps.map((topUp) => (
              <tr key={topUp.id}>
                <td>
                  <UtcDateTime value={topUp.at} />
                </td>
                <td className="numeric">
                  <Money minor={topUp.amountMinor} currency={pool.currency} />
                </td>
                <td>{topUp.reason}</td>
                <td>{topUp.by ?? t('finance.staffFallback')}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

function TopUpForm({ currency, submissionKey }: { currency: string; submissionKey: string }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = topUpFormSchema(currency);
  const [form, fields] = useForm({
    id: 'top-up',
    lastResult: actionData?.result,
    constraint: getZodConstraint(TopUpFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <section className="panel" aria-labelledby="top-up-heading">
      <h2 id="top-up-heading">{t('finance.pools.topUpTitle')}</h2>
      <p className="muted">{t('finance.pools.topUpIntro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="submissionKey" value={submissionKey} />
        <Field meta={fields.amount} label={t('finance.pools.fields.amount', { currency })} hint={t('finance.pools.fields.amountHint')} />
        <TextareaField meta={fields.reason} label={t('finance.pools.fields.reason')} rows={3} maxLength={TOP_UP_REASON_MAX_LENGTH} />
        <FormErrors errors={fields.submissionKey.errors} />
        <div className="actions">
          <SubmitButton>{t('finance.pools.topUp')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
