import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { endSession } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';

/** Logging out is a POST (no state change on GET); a GET just goes home. */
export async function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const clearCookie = await endSession(request, context);
  return redirectWithFlash('/login', 'auth.login.loggedOut', { headers: { 'Set-Cookie': clearCookie } });
}
