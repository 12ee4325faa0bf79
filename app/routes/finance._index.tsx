import { type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { requirePermission } from '~/utils/auth.server';

// Finance's daily work is the nominations queue.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'finance.approve');
  return redirect('/finance/nominations');
}
