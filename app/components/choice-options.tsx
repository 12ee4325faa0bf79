import { useTranslation } from 'react-i18next';
import { TIER_CHOICES } from '~/domain/admin/choices';
import { SUPPORTED_LOCALES } from '~/utils/i18n';

/** The interface languages, each named in the reader's language and marked with its own. */
export function LocaleOptions() {
  const { t } = useTranslation();
  return (
    <>
      {SUPPORTED_LOCALES.map((choice) => (
        <option key={choice} value={choice} lang={choice}>
          {choice === 'zh-CN' ? t('common.language.zhCN') : t('common.language.en')}
        </option>
      ))}
    </>
  );
}

export function TierOptions() {
  const { t } = useTranslation();
  return (
    <>
      {TIER_CHOICES.map((tier) => (
        <option key={tier} value={tier}>
          {t(`common.tiers.${tier}`)}
        </option>
      ))}
    </>
  );
}
