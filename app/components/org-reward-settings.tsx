import { getCollectionProps, getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormErrors, SubmitButton } from '~/components/forms';
import { PayoutDetailsFields } from '~/components/payout-details-fields';
import { PostDay } from '~/components/post-fields';
import { REWARD_MODE_CHOICES } from '~/domain/orgs/choices';
import { PayoutDetailsFormSchema } from '~/domain/rewards/payout-details-form';

/** The org admin's choice of reward mode; the consent box must be ticked with every choice. */
export const RewardModeFormSchema = z.object({
  mode: z.enum(REWARD_MODE_CHOICES, { error: 'rewards.orgMode.errors.modeRequired' }),
  // An unticked box is not sent at all.
  consent: z.boolean({ error: 'rewards.orgMode.errors.consent_required' }),
});

export interface OrgRewardSettingsData {
  mode: { mode: (typeof REWARD_MODE_CHOICES)[number]; setBy: 'you' | 'another_org_admin' | null; setDay: string | null };
  payout: { last4: string; savedDay: string } | null;
}

/**
 * The org page's reward sections: why the org chooses, the current choice
 * (who — "you" or "an org admin", never a colleague's pseudonym — and
 * when), the form to choose with consent, and for "pay the org" its account.
 */
export function OrgRewardSettings({
  settings,
  modeResult,
  payoutResult,
}: {
  settings: OrgRewardSettingsData;
  modeResult: SubmissionResult<string[]> | undefined;
  payoutResult: SubmissionResult<string[]> | undefined;
}) {
  const { t, i18n } = useTranslation();
  const { mode, payout } = settings;
  const [modeForm, modeFields] = useForm({
    id: `reward-mode-${mode.mode}-${mode.setDay ?? 'unset'}`,
    lastResult: modeResult,
    defaultValue: { mode: mode.mode },
    constraint: getZodConstraint(RewardModeFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RewardModeFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const [payoutForm, payoutFields] = useForm({
    id: `org-payout-${payout?.savedDay ?? 'none'}-${payout?.last4 ?? ''}`,
    lastResult: payoutResult,
    constraint: getZodConstraint(PayoutDetailsFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PayoutDetailsFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const consentProps = getInputProps(modeFields.consent, { type: 'checkbox' });
  const showPayout = mode.mode === 'org' || payout !== null;

  return (
    <>
      <section className="panel" id="reward-mode" aria-labelledby="reward-mode-heading">
        <h2 id="reward-mode-heading">{t('rewards.orgMode.title')}</h2>
        <p>{t('rewards.orgMode.intro')}</p>
        <div className="reward-mode-current">
          <h3>{t('rewards.orgMode.current')}</h3>
          <p>
            <strong>{t(`rewards.modes.${mode.mode}`)}</strong> — {t(`rewards.modeHints.${mode.mode}`)}
          </p>
          {mode.setBy && mode.setDay ? (
            <p className="small muted">
              {t(mode.setBy === 'you' ? 'rewards.orgMode.setByYou' : 'rewards.orgMode.setByOther', {
                date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
                  new Date(`${mode.setDay}T00:00:00Z`),
                ),
              })}
            </p>
          ) : mode.mode === 'recognition' ? (
            <p className="small muted">{t('rewards.orgMode.notSet')}</p>
          ) : null}
        </div>
        <Form method="post" className="form" {...getFormProps(modeForm)}>
          <FormErrors errors={modeForm.errors} id={modeForm.errorId} />
          <fieldset className="reward-mode-choices" aria-describedby={modeFields.mode.errors ? modeFields.mode.errorId : undefined}>
            <legend>{t('rewards.orgMode.legend')}</legend>
            {getCollectionProps(modeFields.mode, { type: 'radio', options: [...REWARD_MODE_CHOICES] }).map((props) => (
              <label key={props.key} className="reward-mode-choice">
                <input {...props} key={props.key} />
                <span>
                  <strong>{t(`rewards.modes.${props.value}`)}</strong>
                  <span className="small muted reward-row__note">{t(`rewards.modeHints.${props.value}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <FormErrors errors={modeFields.mode.errors} id={modeFields.mode.errorId} />
          <label className="checkbox">
            <input {...consentProps} key={consentProps.key} />
            {t('rewards.orgMode.consent')}
          </label>
          <FormErrors errors={modeFields.consent.errors} id={modeFields.consent.errorId} />
          <p className="small muted">{t('rewards.orgMode.timing')}</p>
          <div className="actions">
            <SubmitButton name="intent" value="reward-mode">
              {t('rewards.orgMode.submit')}
            </SubmitButton>
          </div>
        </Form>
      </section>

      {showPayout ? (
        <section className="panel" id="org-payout" aria-labelledby="org-payout-heading">
          <h2 id="org-payout-heading">{t('rewards.orgPayout.title')}</h2>
          <p className="muted">{t('rewards.orgPayout.intro')}</p>
          {mode.mode !== 'org' ? <p className="small muted">{t('rewards.orgPayout.onlyWhenOrg')}</p> : null}
          {payout ? (
            <dl className="details">
              <dt>{t('rewards.payout.account')}</dt>
              <dd className="payout-last4">{`•••• ${payout.last4}`}</dd>
              <dt>{t('rewards.payout.savedOn')}</dt>
              <dd>
                <PostDay day={payout.savedDay} />
              </dd>
            </dl>
          ) : (
            <p className="muted">{t('rewards.payout.none')}</p>
          )}
          {payout ? <p className="muted small">{t('rewards.payout.replaceIntro')}</p> : null}
          <Form method="post" className="form" autoComplete="off" {...getFormProps(payoutForm)}>
            <FormErrors errors={payoutForm.errors} id={payoutForm.errorId} />
            <PayoutDetailsFields fields={payoutFields} />
            <div className="actions">
              <SubmitButton name="intent" value="org-payout">
                {t('rewards.payout.submit')}
              </SubmitButton>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
