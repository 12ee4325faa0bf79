import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SubNav } from '~/components/sub-nav';
import { requirePermission } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'finance.title');

// Guards the layout only: child loaders run in parallel with this one, so
// each child loader and action calls requirePermission itself.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'finance.approve');
  return null;
}

// Batches and reports are the payout pages' own sections.
const SECTIONS = [
  { to: '/finance/nominations', key: 'finance.subnav.nominations' },
  { to: '/finance/pools', key: 'finance.subnav.pools' },
  { to: '/finance/policy', key: 'finance.subnav.policy' },
  { to: '/finance/batches', key: 'finance.subnav.batches' },
  { to: '/finance/reports', key: 'finance.subnav.reports' },
] as const;

export default function FinanceLayout() {
  const { t } = useTranslation();
  return (
    <>
      <SubNav label={t('finance.subnav.label')} sections={SECTIONS} />
      <Outlet />
    </>
  );
}
