import { type FieldMetadata, getInputProps } from '@conform-to/react';
import { useTranslation } from 'react-i18next';

type CheckboxMeta = FieldMetadata<boolean | undefined>;

/** The two mail choices, as on /settings and behind an unsubscribe link. */
export function MailPreferenceFields({ replies, statusChanges }: { replies: CheckboxMeta; statusChanges: CheckboxMeta }) {
  const { t } = useTranslation();
  return (
    <>
      <fieldset className="checkbox-list mail-preferences" aria-describedby={replies.descriptionId}>
        <legend>{t('notifications.preferences.legend')}</legend>
        {[
          { meta: replies, label: t('notifications.preferences.replies') },
          { meta: statusChanges, label: t('notifications.preferences.statusChanges') },
        ].map(({ meta, label }) => {
          const props = getInputProps(meta, { type: 'checkbox' });
          return (
            <label key={meta.name}>
              <input {...props} key={props.key} />
              {label}
            </label>
          );
        })}
      </fieldset>
      <p className="field__hint" id={replies.descriptionId}>
        {t('notifications.preferences.hint')}
      </p>
    </>
  );
}
