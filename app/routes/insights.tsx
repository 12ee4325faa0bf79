import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Outlet } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SubNav } from '~/components/sub-nav';
import { requirePermission } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'insights.title');

// Guards the layout only: child loaders run in parallel with this one, so
// each child loader calls requirePermission itself.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, 'triage');
  return null;
}

const SECTIONS = [
  { to: '/insights', key: 'insights.subnav.dashboard', end: true },
  { to: '/insights/priority', key: 'insights.subnav.priority', end: false },
] as const;

export default function InsightsLayout() {
  const { t } = useTranslation();
  return (
    <>
      <SubNav label={t('insights.subnav.label')} sections={SECTIONS} />
      <Outlet />
    </>
  );
}
