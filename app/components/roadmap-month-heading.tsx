import { useTranslation } from 'react-i18next';

/** A month of the changelog as a heading: "November 2026" / "2026年11月". */
export function RoadmapMonthHeading({ month, id }: { month: string; id: string }) {
  const { i18n } = useTranslation();
  const name = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
  return (
    <h2 id={id} className="changelog-month__title">
      <time dateTime={month}>{name}</time>
    </h2>
  );
}
