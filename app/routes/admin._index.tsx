import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requirePermission } from '~/utils/auth.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin.orgs');
  return redirect('/admin/orgs');
}
