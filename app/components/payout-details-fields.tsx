import type { FieldMetadata } from '@conform-to/react';
import { useTranslation } from 'react-i18next';
import { Field } from '~/components/forms';

type StringField = FieldMetadata<string | undefined>;

/**
 * The four inputs of a payout details form (member or org). Never prefilled:
 * saved details are shown only as their last four characters, elsewhere.
 */
export function PayoutDetailsFields({
  fields,
}: {
  fields: { accountHolder: StringField; accountNumber: StringField; bankName: StringField; bic: StringField };
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field
        meta={fields.accountHolder}
        label={t('rewards.payout.accountHolder')}
        hint={t('rewards.payout.accountHolderHint')}
        autoComplete="off"
        maxLength={140}
      />
      <Field
        meta={fields.accountNumber}
        label={t('rewards.payout.accountNumber')}
        hint={t('rewards.payout.accountNumberHint')}
        autoComplete="off"
        maxLength={60}
      />
      <Field meta={fields.bankName} label={t('rewards.payout.bankName')} autoComplete="off" maxLength={140} />
      <Field meta={fields.bic} label={t('rewards.payout.bic')} hint={t('rewards.payout.bicHint')} autoComplete="off" maxLength={11} />
    </>
  );
}
