import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { setUserLocale } from '~/domain/accounts/set-user-locale.server';
import { getCurrentUser } from '~/utils/auth.server';
import { safeRedirect } from '~/utils/http.server';
import { isLocale } from '~/utils/i18n';
import { localeCookie } from '~/utils/locale.server';

export async function loader() {
  return redirect('/');
}

/** Switches the language: a cookie for everyone, and the account's preference when signed in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get('locale');
  if (!isLocale(locale)) throw new Response('Unknown language', { status: 400 });
  const user = await getCurrentUser(request, context);
  if (user) await setUserLocale(context.services.db, user.id, locale);
  return redirect(safeRedirect(form.get('redirectTo')), {
    headers: { 'Set-Cookie': await localeCookie.serialize(locale) },
  });
}
