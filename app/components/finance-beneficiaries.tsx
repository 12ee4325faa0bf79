import { useTranslation } from 'react-i18next';
import type { BeneficiaryView } from '~/domain/rewards/list-nominations.server';

/** Beneficiaries by pseudonym in the reader's language, each with their role. */
export function BeneficiaryNames({ beneficiaries }: { beneficiaries: readonly Pick<BeneficiaryView, 'pseudonym' | 'pseudonymZh' | 'role' | 'rewardId'>[] }) {
  const { t, i18n } = useTranslation();
  if (beneficiaries.length === 0) return <>{t('finance.nominations.noBeneficiary')}</>;
  return (
    <>
      {beneficiaries.map((beneficiary, index) => (
        <span key={beneficiary.rewardId}>
          {index > 0 ? t('finance.listSeparator') : null}
          <strong>{i18n.language === 'zh-CN' ? beneficiary.pseudonymZh : beneficiary.pseudonym}</strong> ({t(`finance.roles.${beneficiary.role}`)})
        </span>
      ))}
    </>
  );
}
