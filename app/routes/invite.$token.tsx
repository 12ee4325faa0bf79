import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';

/** The link in an invitation mail; the invite is checked when the form is sent. */
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/signup?invite=${encodeURIComponent(params.token ?? '')}`);
}
