import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { Money } from '~/components/finance-money';
import { Field, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { UtcDateTime } from '~/components/time';
import { isDomainError } from '~/domain/errors';
import { AmountTextSchema, refineAmount } from '~/domain/money/amount-input';
import { minorToDecimal } from '~/domain/money/money';
import { getCurrentPolicy } from '~/domain/rewards/current-policy.server';
import { listPolicyVersions } from '~/domain/rewards/list-policy-versions.server';
import { POLICY_NOTE_MAX_LENGTH, type PolicyRules, PolicyRulesSchema, tierRange } from '~/domain/rewards/policy';
import { publishPolicy } from '~/domain/rewards/publish-policy.server';
import { can, requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'finance.policy.title');

const TIERS = ['complaint_fixed', 'request_adopted', 'request_shipped'] as const;
type Tier = (typeof TIERS)[number];
const TIER_FIELDS: Record<Tier, { default: TierField; max: TierField }> = {
  complaint_fixed: { default: 'complaintFixedDefault', max: 'complaintFixedMax' },
  request_adopted: { default: 'requestAdoptedDefault', max: 'requestAdoptedMax' },
  request_shipped: { default: 'requestShippedDefault', max: 'requestShippedMax' },
};
type TierField = 'complaintFixedDefault' | 'complaintFixedMax' | 'requestAdoptedDefault' | 'requestAdoptedMax' | 'requestShippedDefault' | 'requestShippedMax';

const percentSchema = (min: number, max: number) => {
  const message = `finance.policy.errors.percent_range?${new URLSearchParams({ min: String(min), max: String(max) })}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

const PolicyFieldsSchema = z.object({
  basedOnVersion: z.number({ error: 'finance.policy.errors.policy_changed_meanwhile' }).int().positive(),
  complaintFixedDefault: AmountTextSchema,
  complaintFixedMax: AmountTextSchema,
  requestAdoptedDefault: AmountTextSchema,
  requestAdoptedMax: AmountTextSchema,
  requestShippedDefault: AmountTextSchema,
  requestShippedMax: AmountTextSchema,
  impactMin: percentSchema(1, 1000),
  impactMax: percentSchema(1, 1000),
  coauthorShare: percentSchema(0, 100),
  note: z
    .string({ error: 'finance.policy.errors.note_required' })
    .trim()
    .min(1, { error: 'finance.policy.errors.note_required' })
    .max(POLICY_NOTE_MAX_LENGTH, { error: `common.errors.tooLong?max=${POLICY_NOTE_MAX_LENGTH}` }),
});

/**
 * The whole policy as a form: amounts typed as money in the policy's
 * currency, percentages as whole numbers. Builds the rules the use-case
 * checks again with PolicyRulesSchema.
 */
function policyFormSchema(currency: string) {
  return PolicyFieldsSchema.transform((form, ctx) => {
    const tiers: Partial<PolicyRules['tiers']> = {};
    for (const tier of TIERS) {
      const fields = TIER_FIELDS[tier];
      const defaultMinor = refineAmount(ctx, form[fields.default], currency, fields.default);
      const maxMinor = refineAmount(ctx, form[fields.max], currency, fields.max);
      if (defaultMinor === null || maxMinor === null) continue;
      if (defaultMinor > maxMinor) {
        ctx.addIssue({ code: 'custom', path: [fields.default], message: 'finance.policy.errors.default_above_max' });
        continue;
      }
      tiers[tier] = { defaultMinor: defaultMinor.toString(), maxMinor: maxMinor.toString() };
    }
    if (form.impactMin > form.impactMax) {
      ctx.addIssue({ code: 'custom', path: ['impactMax'], message: 'finance.policy.errors.min_above_max' });
    }
    const rules = PolicyRulesSchema.safeParse({
      currency,
      tiers,
      impactPercent: { min: form.impactMin, max: form.impactMax },
      coauthorSharePercent: form.coauthorShare,
    });
    if (!rules.success) {
      // Every field-level cause is reported above; what is left (an amount too large) is said at the top.
      if (ctx.issues.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'finance.policy.errors.rules_invalid' });
      return z.NEVER;
    }
    return { basedOnVersion: form.basedOnVersion, note: form.note, rules: rules.data };
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const overview = await listPolicyVersions(context.services.db, user);
  return { ...overview, canPublish: can(user, 'finance.admin') };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.admin');
  const { db } = context.services;
  const current = await getCurrentPolicy(db);
  const submission = parseWithZod(await request.formData(), { schema: policyFormSchema(current.rules.currency) });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  try {
    await publishPolicy(db, user, submission.value);
  } catch (error) {
    if (isDomainError(error) && error.code === 'policy_changed_meanwhile') {
      return data({ result: submission.reply({ formErrors: ['finance.policy.errors.policy_changed_meanwhile'] }) }, { status: 409 });
    }
    throw error;
  }
  return redirectWithFlash('/finance/policy', 'finance.flash.policyPublished');
}

export default function PolicyPage() {
  const { current, versions, canPublish } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { rules } = current;
  const publisherOf = (version: { by: string | null; byPortal: boolean }) =>
    version.by ?? (version.byPortal ? t('finance.policy.portalPublisher') : t('finance.staffFallback'));
  return (
    <>
      <PageHeader title={t('finance.policy.title')} intro={t('finance.policy.intro')} />

      <section className="panel" aria-labelledby="policy-current-heading">
        <h2 id="policy-current-heading">{t('finance.policy.currentTitle', { version: current.version })}</h2>
        <p className="muted small">
          {t('finance.policy.publishedBy', { by: publisherOf(current) })} <UtcDateTime value={current.at} />
          {current.note ? ` · ${current.note}` : null}
        </p>
        <DataTable
          columns={[t('finance.policy.columns.tier'), t('finance.policy.columns.default'), t('finance.policy.columns.max'), t('finance.policy.columns.range')]}
        >
          {TIERS.map((tier) => {
            const range = tierRange(rules, tier);
            return (
              <tr key={tier}>
                <th scope="row">{t(`finance.triggers.${tier}`)}</th>
                <td className="numeric">
                  <Money minor={rules.tiers[tier].defaultMinor} currency={rules.currency} />
                </td>
                <td className="numeric">
                  <Money minor={rules.tiers[tier].maxMinor} currency={rules.currency} />
                </td>
                <td className="numeric">
                  <Money minor={range.minMinor} currency={rules.currency} /> – <Money minor={range.maxMinor} currency={rules.currency} />
                </td>
              </tr>
            );
          })}
        </DataTable>
        <dl className="details">
          <dt>{t('finance.policy.impactRange')}</dt>
          <dd>{t('finance.policy.percentRange', { min: rules.impactPercent.min, max: rules.impactPercent.max })}</dd>
          <dt>{t('finance.policy.coauthorShare')}</dt>
          <dd>{t('finance.policy.percent', { value: rules.coauthorSharePercent })}</dd>
          <dt>{t('finance.policy.currency')}</dt>
          <dd>
            <code>{rules.currency}</code>
          </dd>
        </dl>
        <p className="muted">{t('finance.policy.howComputed', { min: rules.impactPercent.min, max: rules.impactPercent.max })}</p>
      </section>

      {canPublish ? <PublishForm rules={rules} version={current.version} /> : null}

      <section className="panel" aria-labelledby="policy-history-heading">
        <h2 id="policy-history-heading">{t('finance.policy.historyTitle')}</h2>
        <DataTable
          columns={[
            t('finance.policy.historyColumns.version'),
            t('finance.policy.historyColumns.at'),
            t('finance.policy.historyColumns.by'),
            t('finance.policy.historyColumns.defaults'),
            t('finance.policy.historyColumns.note'),
          ]}
        >
          {versions.map((version) => (
            <tr key={version.id}>
              <td className="numeric">{t('finance.policy.versionLabel', { version: version.version })}</td>
              <td>
                <UtcDateTime value={version.at} />
              </td>
              <td>{publisherOf(version)}</td>
              <td className="finance-defaults">
                {TIERS.map((tier) => (
                  <span key={tier}>
                    {t(`finance.triggers.${tier}`)}: <Money minor={version.rules.tiers[tier].defaultMinor} currency={version.rules.currency} />
                  </span>
                ))}
              </td>
              <td>{version.note}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </>
  );
}

function PublishForm({ rules, version }: { rules: PolicyRules; version: number }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = policyFormSchema(rules.currency);
  const amount = (minor: string) => minorToDecimal(minor, rules.currency);
  const [form, fields] = useForm({
    id: 'publish-policy',
    lastResult: actionData?.result,
    defaultValue: {
      basedOnVersion: String(version),
      complaintFixedDefault: amount(rules.tiers.complaint_fixed.defaultMinor),
      complaintFixedMax: amount(rules.tiers.complaint_fixed.maxMinor),
      requestAdoptedDefault: amount(rules.tiers.request_adopted.defaultMinor),
      requestAdoptedMax: amount(rules.tiers.request_adopted.maxMinor),
      requestShippedDefault: amount(rules.tiers.request_shipped.defaultMinor),
      requestShippedMax: amount(rules.tiers.request_shipped.maxMinor),
      impactMin: String(rules.impactPercent.min),
      impactMax: String(rules.impactPercent.max),
      coauthorShare: String(rules.coauthorSharePercent),
    },
    constraint: getZodConstraint(PolicyFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <section className="panel" aria-labelledby="publish-policy-heading">
      <h2 id="publish-policy-heading">{t('finance.policy.publishTitle')}</h2>
      <p className="muted">{t('finance.policy.publishIntro', { version: version + 1 })}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name={fields.basedOnVersion.name} value={String(version)} />
        {TIERS.map((tier) => (
          <fieldset key={tier} className="finance-fieldset">
            <legend>{t(`finance.triggers.${tier}`)}</legend>
            <div className="finance-form-row">
              <Field meta={fields[TIER_FIELDS[tier].default]} label={t('finance.policy.fields.default', { currency: rules.currency })} />
              <Field meta={fields[TIER_FIELDS[tier].max]} label={t('finance.policy.fields.max', { currency: rules.currency })} />
            </div>
          </fieldset>
        ))}
        <fieldset className="finance-fieldset">
          <legend>{t('finance.policy.impactRange')}</legend>
          <div className="finance-form-row">
            <Field meta={fields.impactMin} type="number" label={t('finance.policy.fields.impactMin')} hint={t('finance.policy.fields.impactHint')} />
            <Field meta={fields.impactMax} type="number" label={t('finance.policy.fields.impactMax')} />
          </div>
        </fieldset>
        <Field meta={fields.coauthorShare} type="number" label={t('finance.policy.fields.coauthorShare')} hint={t('finance.policy.fields.coauthorShareHint')} />
        <TextareaField meta={fields.note} label={t('finance.policy.fields.note')} hint={t('finance.policy.fields.noteHint')} rows={3} maxLength={POLICY_NOTE_MAX_LENGTH} />
        <div className="actions">
          <SubmitButton>{t('finance.policy.publish')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
