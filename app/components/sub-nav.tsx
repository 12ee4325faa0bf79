import { NavLink } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

export interface SubNavSection {
  to: string;
  /** Translation key of the link text. */
  key: string;
  /** Active only on exactly this path (an index page whose siblings share its prefix). */
  end?: boolean;
}

/** The tab row under a section's header (admin, finance, insights, recognition). */
export function SubNav({ label, sections }: { label: string; sections: readonly SubNavSection[] }) {
  const { t } = useTranslation();
  return (
    <nav className="subnav" aria-label={label}>
      {sections.map((section) => (
        <NavLink key={section.to} to={section.to} end={section.end}>
          {t(section.key)}
        </NavLink>
      ))}
    </nav>
  );
}
