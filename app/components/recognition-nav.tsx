import { useTranslation } from 'react-i18next';
import { SubNav } from './sub-nav';

const PAGES = [
  { to: '/hall-of-fame', key: 'rewards.nav.hallOfFame' },
  { to: '/leaderboard', key: 'rewards.nav.leaderboard' },
] as const;

/** Switches between the two public recognition pages: the hall of fame and the leaderboard. */
export function RecognitionNav() {
  const { t } = useTranslation();
  return <SubNav label={t('rewards.nav.pagesLabel')} sections={PAGES} />;
}
