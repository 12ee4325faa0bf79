import type { TestApp } from './services.js';
import { loadContext, TEST_PUBLIC_URL } from './services.js';
import { startSession } from '../../app/utils/auth.server.js';

/** A Request as the browser would send it to a loader or an action. */
export function makeRequest(
  path: string,
  init: { method?: string; form?: Record<string, string | string[]>; cookie?: string; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('Cookie', init.cookie);
  let body: URLSearchParams | undefined;
  if (init.form) {
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(init.form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(key, one);
    }
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  return new Request(`${TEST_PUBLIC_URL}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
}

/** A session cookie header for the user, as after a real login. */
export async function sessionCookieFor(app: TestApp, userId: string): Promise<string> {
  const setCookie = await startSession(loadContext(app), userId);
  return setCookie.split(';')[0]!;
}

/** Runs a loader or action and returns the Response it returned or threw. */
export async function settle(run: () => Promise<unknown>): Promise<{ response?: Response; value?: unknown }> {
  try {
    const value = await run();
    return value instanceof Response ? { response: value } : { value };
  } catch (thrown) {
    if (thrown instanceof Response) return { response: thrown };
    throw thrown;
  }
}
