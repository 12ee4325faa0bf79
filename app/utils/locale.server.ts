import { type AppLoadContext, createCookie } from '@remix-run/node';
import { getSettings } from '../domain/settings/settings.server.js';
import { getCurrentUser } from './auth.server.js';
import { isLocale, type Locale, localeFromAcceptLanguage } from './i18n.js';

export const localeCookie = createCookie('candor_lang', { sameSite: 'lax', path: '/', maxAge: 365 * 86_400, httpOnly: true });

/** Cookie (an explicit choice) → the account's language → the browser's → the portal default. */
export async function getLocale(request: Request, context: AppLoadContext): Promise<Locale> {
  const chosen: unknown = await localeCookie.parse(request.headers.get('Cookie'));
  if (isLocale(chosen)) return chosen;
  const user = await getCurrentUser(request, context);
  if (isLocale(user?.locale)) return user.locale;
  const fromBrowser = localeFromAcceptLanguage(request.headers.get('Accept-Language'));
  if (fromBrowser) return fromBrowser;
  return (await getSettings(context.services.db)).defaultLocale;
}
