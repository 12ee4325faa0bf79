import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A table that scrolls sideways on narrow screens; its rows come as children.
 * `sorted` marks the column the rows are ordered by (aria-sort).
 */
export function DataTable({
  columns,
  children,
  sorted,
}: {
  columns: readonly ReactNode[];
  children: ReactNode;
  sorted?: { column: number; direction: 'ascending' | 'descending' };
}) {
  const { t } = useTranslation();
  // Focusable, so a keyboard user can scroll a table that is wider than a phone.
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('common.scrollableTable')}>
      <table>
        <thead>
          <tr>
            {columns.map((column, index) => (
              // The columns are fixed for a table, so their position is a stable key.
              <th key={index} scope="col" aria-sort={sorted?.column === index ? sorted.direction : undefined}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
