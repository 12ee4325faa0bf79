import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';

/** The link to the page after `after` in a list paged by cursor; nothing on the last page. */
export function NextPageLink({ after, children }: { after: string | null | undefined; children: ReactNode }) {
  if (!after) return null;
  return (
    <p className="actions">
      <Link to={`?after=${encodeURIComponent(after)}`} className="button button--secondary button--small">
        {children}
      </Link>
    </p>
  );
}
