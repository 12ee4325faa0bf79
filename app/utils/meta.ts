import type { MetaArgs } from '@remix-run/node';
import { getT, isLocale } from './i18n';

/** `<title>` for a page: its translated heading, then the brand. */
export function pageTitle({ matches }: Pick<MetaArgs, 'matches'>, key: string) {
  const rootData = matches.find((match) => match.id === 'root')?.data as { locale?: unknown } | undefined;
  const t = getT(isLocale(rootData?.locale) ? rootData.locale : 'en');
  return [{ title: `${t(key)} · ${t('common.brand')}` }];
}
