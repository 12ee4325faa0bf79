import { useTranslation } from 'react-i18next';
import type { PoolState } from '~/domain/pools/list-pools.server';

const POOL_STATE_TONE: Record<PoolState, string> = {
  open: 'badge--success',
  upcoming: '',
  ended: 'badge--muted',
  closed: 'badge--muted',
};

export function PoolStateBadge({ state }: { state: PoolState }) {
  const { t } = useTranslation();
  return <span className={`badge ${POOL_STATE_TONE[state]}`.trim()}>{t(`finance.pools.states.${state}`)}</span>;
}

const NOMINATION_TONE: Record<string, string> = {
  approved: 'badge--success',
  rejected: 'badge--danger',
  cancelled: 'badge--muted',
};

export function NominationStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge ${NOMINATION_TONE[status] ?? ''}`.trim()}>{t(`finance.nominations.statuses.${status}`)}</span>;
}

const REWARD_TONE: Record<string, string> = {
  paid: 'badge--success',
  recognised: 'badge--success',
  returned: 'badge--danger',
  rejected: 'badge--danger',
  cancelled: 'badge--muted',
};

export function RewardStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge ${REWARD_TONE[status] ?? ''}`.trim()}>{t(`finance.rewardStatuses.${status}`)}</span>;
}
