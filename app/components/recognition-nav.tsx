import { NavLink } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** Switches between the two public recognition pages: the hall of fame and the leaderboard. */
export function RecognitionNav() {
  const { t } = useTranslation();
  return (
    <nav className="subnav" aria-label={t('rewards.nav.pagesLabel')}>
      <NavLink to="/hall-of-fame">{t('rewards.nav.hallOfFame')}</NavLink>
      <NavLink to="/leaderboard">{t('rewards.nav.leaderboard')}</NavLink>
    </nav>
  );
}
