import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react';
import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SubmitButton } from '~/components/forms';

/** The member's choice to stay off the public hall of fame and leaderboard (settings page). */
export function HallOfFameOptOutForm({ optOut, lastResult }: { optOut: boolean; lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    // Keyed on the saved choice, so the box follows it after a save.
    id: `hall-of-fame-${optOut}`,
    lastResult,
    defaultValue: { optOut },
  });
  const boxProps = getInputProps(fields.optOut, { type: 'checkbox' });
  return (
    <section className="panel" id="hall-of-fame" aria-labelledby="hall-of-fame-title">
      <h2 id="hall-of-fame-title">{t('rewards.optOut.title')}</h2>
      <p className="muted">
        {t('rewards.optOut.intro')} <Link to="/hall-of-fame">{t('rewards.mine.hallOfFameLink')}</Link>
      </p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <label className="checkbox">
          <input {...boxProps} key={boxProps.key} aria-describedby="hall-of-fame-hint" />
          {t('rewards.optOut.label')}
        </label>
        <p className="field__hint" id="hall-of-fame-hint">
          {t('rewards.optOut.hint')}
        </p>
        <div className="actions">
          <SubmitButton className="button button--secondary" name="intent" value="hall-of-fame">
            {t('rewards.optOut.submit')}
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}
