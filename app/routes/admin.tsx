import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SubNav } from '~/components/sub-nav';
import { requirePermission } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.title');

// Guards the layout only: child loaders run in parallel with this one, so
// each child loader and action calls requirePermission itself.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'admin.orgs');
  return null;
}

const SECTIONS = [
  { to: '/admin/orgs', key: 'admin.subnav.orgs' },
  { to: '/admin/invites', key: 'admin.subnav.invites' },
  { to: '/admin/staff', key: 'admin.subnav.staff' },
  { to: '/admin/settings', key: 'admin.subnav.settings' },
  { to: '/admin/mailbox', key: 'admin.subnav.mailbox' },
] as const;

export default function AdminLayout() {
  const { t } = useTranslation();
  return (
    <>
      <SubNav label={t('admin.subnav.label')} sections={SECTIONS} />
      <Outlet />
    </>
  );
}
