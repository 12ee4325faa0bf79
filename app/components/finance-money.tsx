import { useTranslation } from 'react-i18next';
import { formatMoney } from '~/domain/money/money';

/** Formats minor units in the reader's language, exactly (no float on the way). */
export function useFormatMoney(): (minor: string | bigint, currency: string) => string {
  const { i18n } = useTranslation();
  return (minor, currency) => formatMoney(minor, currency, i18n.language);
}

/** An amount of money, tabular so columns of amounts line up. */
export function Money({ minor, currency }: { minor: string | bigint; currency: string }) {
  const format = useFormatMoney();
  return <span className="money">{format(minor, currency)}</span>;
}
