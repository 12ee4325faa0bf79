import { createCookie, redirect } from '@remix-run/node';

// A one-time message key shown after a redirect ("Saved", "Invite revoked"),
// translated on the page. Carries no data, only a key from the locale files.
const flashCookie = createCookie('candor_flash', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 });

export async function redirectWithFlash(to: string, messageKey: string, init: ResponseInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.append('Set-Cookie', await flashCookie.serialize(messageKey));
  return redirect(to, { ...init, headers });
}

/** Reads the flash message and returns the header that clears it. */
export async function takeFlash(request: Request): Promise<{ message: string | null; setCookie: string | null }> {
  const message: unknown = await flashCookie.parse(request.headers.get('Cookie'));
  if (typeof message !== 'string') return { message: null, setCookie: null };
  return { message, setCookie: await flashCookie.serialize('', { maxAge: 0 }) };
}
