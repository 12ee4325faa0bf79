/** Only same-site paths, so a login link can't send people elsewhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}

export function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' });
}
