import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { LocaleOptions } from '~/components/choice-options';
import { Field, FormErrors, SelectField, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { LOCALE_CHOICES } from '~/domain/admin/choices';
import { AmountTextSchema, amountErrorMessage } from '~/domain/money/amount-input';
import { minorToDecimal, parseAmount } from '~/domain/money/money';
import { getSettings, updateSettings } from '~/domain/settings/settings.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.settings.title');

/** A whole number in [min, max], with a message that names the range. */
function wholeNumber(min: number, max: number) {
  const outOfRange = `admin.errors.outOfRange?min=${min}&max=${max}`;
  return z
    .number({ error: 'admin.errors.wholeNumber' })
    .int({ error: 'admin.errors.wholeNumber' })
    .min(min, { error: outOfRange })
    .max(max, { error: outOfRange });
}

/** Money settings, typed as amounts in the portal currency and stored as minor units. */
const MONEY_SETTINGS = ['twoApproverThreshold', 'perPersonCap', 'lowBalanceThreshold'] as const;

/** The settings table keeps at most 15 digits of minor units. */
const MAX_SETTING_MINOR = 10n ** 15n - 1n;

/** "50,000.00" in CNY → "5000000" (minor units), or the message saying why not. Zero is allowed. */
function moneySetting(text: string, currency: string): { ok: true; minor: string } | { ok: false; message: string } {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) return { ok: false, message: amountErrorMessage(parsed.error, currency) };
  if (parsed.minor > MAX_SETTING_MINOR) return { ok: false, message: amountErrorMessage('amount_too_large', currency) };
  return { ok: true, minor: parsed.minor.toString() };
}

// The same bounds as SettingsSchema in the domain, with translated messages.
const SettingsFormSchema = z
  .object({
    anonymityThreshold: wholeNumber(2, 1000),
    currency: z
      .string({ error: 'common.errors.required' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, { error: 'admin.errors.currencyInvalid' }),
    defaultLocale: z.enum(LOCALE_CHOICES, { error: 'admin.errors.localeRequired' }),
    sessionIdleMinutes: wholeNumber(5, 60 * 24 * 90),
    sessionAbsoluteDays: wholeNumber(1, 365),
    inviteExpiryDays: wholeNumber(1, 90),
    tierWeightStrategic: wholeNumber(0, 100),
    tierWeightMajor: wholeNumber(0, 100),
    tierWeightStandard: wholeNumber(0, 100),
    postsPerHour: wholeNumber(1, 1000),
    commentsPerHour: wholeNumber(1, 1000),
    triageSlaHours: wholeNumber(1, 24 * 30),
    // An unchecked box is not sent at all: absent means off.
    mailSubjectsNeutral: z.boolean().default(false),
    twoApproverThreshold: AmountTextSchema,
    perPersonCap: AmountTextSchema,
    lowBalanceThreshold: AmountTextSchema,
    withholdingPercent: wholeNumber(0, 60),
  })
  .refine((value) => value.sessionIdleMinutes <= value.sessionAbsoluteDays * 24 * 60, {
    error: 'admin.errors.idleLongerThanAbsolute',
    path: ['sessionIdleMinutes'],
  })
  // Amounts are read in the currency saved with them (once it is a currency code at all).
  .superRefine((value, ctx) => {
    if (!/^[A-Z]{3}$/.test(value.currency)) return;
    for (const key of MONEY_SETTINGS) {
      const amount = moneySetting(value[key], value.currency);
      if (!amount.ok) ctx.addIssue({ code: 'custom', path: [key], message: amount.message });
    }
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin.settings');
  return { settings: await getSettings(context.services.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.settings');
  const submission = parseWithZod(await request.formData(), { schema: SettingsFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { twoApproverThreshold, perPersonCap, lowBalanceThreshold, ...settings } = submission.value;
  const minorOf = (text: string) => {
    const amount = moneySetting(text, settings.currency);
    if (!amount.ok) throw new Error('an amount the form schema accepted no longer parses');
    return amount.minor;
  };
  // updateSettings audits each changed key with its before and after.
  await updateSettings(context.services.db, user.id, {
    ...settings,
    twoApproverThresholdMinor: minorOf(twoApproverThreshold),
    perPersonCapMinor: minorOf(perPersonCap),
    lowBalanceThresholdMinor: minorOf(lowBalanceThreshold),
  });
  return redirectWithFlash('/admin/settings', 'admin.flash.settingsSaved');
}

export default function AdminSettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: 'settings',
    lastResult: actionData?.result,
    defaultValue: {
      ...settings,
      twoApproverThreshold: minorToDecimal(settings.twoApproverThresholdMinor, settings.currency),
      perPersonCap: minorToDecimal(settings.perPersonCapMinor, settings.currency),
      lowBalanceThreshold: minorToDecimal(settings.lowBalanceThresholdMinor, settings.currency),
    },
    constraint: getZodConstraint(SettingsFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const neutralSubjectProps = getInputProps(fields.mailSubjectsNeutral, {
    type: 'checkbox',
    ariaDescribedBy: fields.mailSubjectsNeutral.descriptionId,
  });
  return (
    <>
      <PageHeader title={t('admin.settings.title')} intro={t('admin.settings.intro')} />
      <section className="panel">
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <h2>{t('admin.settings.privacyTitle')}</h2>
          <Field
            meta={fields.anonymityThreshold}
            type="number"
            label={t('admin.settings.anonymityThreshold')}
            hint={t('admin.settings.anonymityThresholdHint')}
          />
          <h2>{t('admin.settings.regionTitle')}</h2>
          <Field
            meta={fields.currency}
            label={t('admin.settings.currency')}
            hint={t('admin.settings.currencyHint')}
            maxLength={3}
          />
          <SelectField meta={fields.defaultLocale} label={t('admin.settings.defaultLocale')} hint={t('admin.settings.defaultLocaleHint')}>
            <LocaleOptions />
          </SelectField>
          <h2>{t('admin.settings.accessTitle')}</h2>
          <Field
            meta={fields.sessionIdleMinutes}
            type="number"
            label={t('admin.settings.sessionIdleMinutes')}
            hint={t('admin.settings.sessionIdleMinutesHint')}
          />
          <Field
            meta={fields.sessionAbsoluteDays}
            type="number"
            label={t('admin.settings.sessionAbsoluteDays')}
            hint={t('admin.settings.sessionAbsoluteDaysHint')}
          />
          <Field
            meta={fields.inviteExpiryDays}
            type="number"
            label={t('admin.settings.inviteExpiryDays')}
            hint={t('admin.settings.inviteExpiryDaysHint')}
          />
          <h2>{t('admin.settings.communityTitle')}</h2>
          <p className="field__hint">{t('admin.settings.tierWeightsHint')}</p>
          {(['tierWeightStrategic', 'tierWeightMajor', 'tierWeightStandard'] as const).map((key) => (
            <Field key={key} meta={fields[key]} type="number" label={t(`admin.settings.${key}`)} />
          ))}
          <Field
            meta={fields.postsPerHour}
            type="number"
            label={t('admin.settings.postsPerHour')}
            hint={t('admin.settings.perMemberHint')}
          />
          <Field
            meta={fields.commentsPerHour}
            type="number"
            label={t('admin.settings.commentsPerHour')}
            hint={t('admin.settings.perMemberHint')}
          />
          <h2>{t('admin.settings.triageTitle')}</h2>
          <Field
            meta={fields.triageSlaHours}
            type="number"
            label={t('admin.settings.triageSlaHours')}
            hint={t('admin.settings.triageSlaHoursHint')}
          />
          <div className="field">
            <label className="checkbox">
              <input {...neutralSubjectProps} key={neutralSubjectProps.key} />
              {t('admin.settings.mailSubjectsNeutral')}
            </label>
            <p className="field__hint" id={fields.mailSubjectsNeutral.descriptionId}>
              {t('admin.settings.mailSubjectsNeutralHint')}
            </p>
          </div>
          <h2>{t('admin.settings.moneyTitle')}</h2>
          <p className="field__hint">{t('admin.settings.moneyHint', { currency: settings.currency })}</p>
          {MONEY_SETTINGS.map((key) => (
            <Field
              key={key}
              meta={fields[key]}
              label={t(`admin.settings.${key}`, { currency: settings.currency })}
              hint={t(`admin.settings.${key}Hint`)}
              maxLength={40}
            />
          ))}
          <Field
            meta={fields.withholdingPercent}
            type="number"
            label={t('admin.settings.withholdingPercent')}
            hint={t('admin.settings.withholdingPercentHint')}
          />
          <div className="actions">
            <SubmitButton>{t('common.actions.save')}</SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}
