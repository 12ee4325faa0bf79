import { useRouteLoaderData } from '@remix-run/react';
import type { loader } from '../root';

/** The root loader's data (locale, signed-in user summary, flash) from any route. */
export function useRootData() {
  return useRouteLoaderData<typeof loader>('root');
}
