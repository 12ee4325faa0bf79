import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { PoolStateBadge } from '~/components/finance-badges';
import { Money } from '~/components/finance-money';
import { Field, FormErrors, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { PostDay } from '~/components/post-fields';
import { AmountTextSchema, isKnownCurrency, refineAmount } from '~/domain/money/amount-input';
import { createPool } from '~/domain/pools/create-pool.server';
import { listPools } from '~/domain/pools/list-pools.server';
import { getSettings } from '~/domain/settings/settings.server';
import { can, requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'finance.pools.title');

const POOL_NAME_MAX_LENGTH = 120;
const IsoDaySchema = z.iso.date({ error: 'finance.pools.errors.date_invalid' });

// The budget is typed as money ("2,000,000.00") and parsed against the
// currency typed beside it, in the browser and again here.
const CreatePoolFieldsSchema = z.object({
  name: z
    .string({ error: 'common.errors.required' })
    .trim()
    .min(1, { error: 'common.errors.required' })
    .max(POOL_NAME_MAX_LENGTH, { error: `common.errors.tooLong?max=${POOL_NAME_MAX_LENGTH}` }),
  currency: z
    .string({ error: 'common.errors.required' })
    .trim()
    .toUpperCase()
    .refine((code) => /^[A-Z]{3}$/.test(code) && isKnownCurrency(code), { error: 'finance.pools.errors.currency_invalid' }),
  budget: AmountTextSchema,
  periodStart: IsoDaySchema,
  periodEnd: IsoDaySchema,
});

const CreatePoolFormSchema = CreatePoolFieldsSchema.transform((form, ctx) => {
  const budgetMinor = refineAmount(ctx, form.budget, form.currency, 'budget');
  if (form.periodEnd < form.periodStart) {
    ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'finance.pools.errors.period_end_before_start' });
  }
  return budgetMinor === null ? z.NEVER : { ...form, budgetMinor };
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const { db } = context.services;
  const [pools, settings] = await Promise.all([listPools(db, user), getSettings(db)]);
  const year = new Date().getUTCFullYear();
  return {
    pools,
    canManage: can(user, 'finance.admin'),
    // A new pool is most often next to this year's: the portal's currency and this calendar year.
    defaults: { currency: settings.currency, periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.admin');
  const submission = parseWithZod(await request.formData(), { schema: CreatePoolFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const { name, currency, budgetMinor, periodStart, periodEnd } = submission.value;
  try {
    const { id } = await createPool(context.services.db, user, { name, currency, budgetMinor, periodStart, periodEnd });
    return redirectWithFlash(`/finance/pools/${id}`, 'finance.flash.poolCreated');
  } catch (error) {
    return data({ result: replyWithDomainError(submission, error, 'finance.pools.errors') }, { status: 400 });
  }
}

export default function PoolsPage() {
  const { pools, canManage, defaults } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('finance.pools.title')} intro={t('finance.pools.intro')} />

      <section className="panel" aria-labelledby="pool-list-heading">
        <h2 id="pool-list-heading">{t('finance.pools.listTitle')}</h2>
        {pools.length === 0 ? (
          <p className="empty-state">{canManage ? t('finance.pools.noneAdmin') : t('finance.pools.none')}</p>
        ) : (
          <DataTable
            columns={[
              t('finance.pools.columns.name'),
              t('finance.pools.columns.currency'),
              t('finance.pools.columns.period'),
              t('finance.pools.columns.budget'),
              t('finance.pools.columns.available'),
              t('finance.pools.columns.reserved'),
              t('finance.pools.columns.spent'),
              t('finance.pools.columns.remaining'),
            ]}
          >
            {pools.map((pool) => (
              <tr key={pool.id} className={pool.state === 'closed' ? 'finance-row--closed' : undefined}>
                <td>
                  <Link to={`/finance/pools/${pool.id}`}>{pool.name}</Link> <PoolStateBadge state={pool.state} />
                </td>
                <td>
                  <code>{pool.currency}</code>
                </td>
                <td className="finance-period">
                  <PostDay day={pool.periodStart} /> – <PostDay day={pool.periodEnd} />
                </td>
                <td className="numeric">
                  <Money minor={pool.budgetMinor} currency={pool.currency} />
                </td>
                <td className="numeric">
                  <Money minor={pool.availableMinor} currency={pool.currency} />
                </td>
                <td className="numeric">
                  <Money minor={pool.reservedMinor} currency={pool.currency} />
                </td>
                <td className="numeric">
                  <Money minor={pool.spentMinor} currency={pool.currency} />
                </td>
                <td className="numeric">
                  <Money minor={pool.remainingMinor} currency={pool.currency} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <p className="muted small">{t('finance.pools.legend')}</p>
      </section>

      {canManage ? <CreatePoolForm defaults={defaults} /> : null}
    </>
  );
}

function CreatePoolForm({ defaults }: { defaults: { currency: string; periodStart: string; periodEnd: string } }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm<z.input<typeof CreatePoolFormSchema>>({
    id: 'create-pool',
    lastResult: actionData?.result,
    defaultValue: defaults,
    // The transform has no HTML constraints of its own: they come from the fields.
    constraint: getZodConstraint(CreatePoolFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreatePoolFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <section className="panel" aria-labelledby="create-pool-heading">
      <h2 id="create-pool-heading">{t('finance.pools.createTitle')}</h2>
      <p className="muted">{t('finance.pools.createIntro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field meta={fields.name} label={t('finance.pools.fields.name')} hint={t('finance.pools.fields.nameHint')} maxLength={POOL_NAME_MAX_LENGTH} />
        <div className="finance-form-row">
          <Field meta={fields.currency} label={t('finance.pools.fields.currency')} hint={t('finance.pools.fields.currencyHint')} maxLength={3} />
          <Field meta={fields.budget} label={t('finance.pools.fields.budget')} hint={t('finance.pools.fields.budgetHint')} />
        </div>
        <div className="finance-form-row">
          <Field meta={fields.periodStart} type="date" label={t('finance.pools.fields.periodStart')} />
          <Field meta={fields.periodEnd} type="date" label={t('finance.pools.fields.periodEnd')} />
        </div>
        <div className="actions">
          <SubmitButton>{t('finance.pools.create')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
