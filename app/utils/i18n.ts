import i18next, { type i18n, type TFunction } from 'i18next';
import en from '../locales/en.js';
import zhCN from '../locales/zh-CN.js';

export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const wanted = header
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}

const instances = new Map<Locale, i18n>();

/** One initialised i18next instance per locale; resources are bundled, so init is synchronous. */
export function getI18n(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      lng: locale,
      fallbackLng: 'en',
      resources,
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    instances.set(locale, instance);
  }
  return instance;
}

export function getT(locale: Locale): TFunction {
  return getI18n(locale).t;
}

/**
 * Messages from actions are translation keys, optionally with values in
 * query-string form: "auth.login.rateLimited?minutes=5".
 */
export function translateMessage(t: (key: string, options?: Record<string, string>) => string, message: string): string {
  const [key = '', query] = message.split('?');
  return t(key, query ? Object.fromEntries(new URLSearchParams(query)) : undefined);
}
