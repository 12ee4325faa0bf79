import type { LoaderFunctionArgs } from '@remix-run/node';
import { isDomainError } from '~/domain/errors';
import { exportPriority } from '~/domain/insights/list-priority.server';
import { parsePriorityQuery, priorityFilters } from '~/domain/insights/priority-query';
import { getSettings } from '~/domain/settings/settings.server';
import { requirePermission } from '~/utils/auth.server';
import { toCsv } from '~/utils/csv';
import { getT } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';

const CSV_COLUMNS = ['rank', 'id', 'title', 'type', 'area', 'status', 'author', 'score', 'votes', 'orgs', 'hours', 'sites', 'posted', 'age', 'link'] as const;

/**
 * /insights/priority.csv: the priority view's list with the same filters and
 * order, as a file. Authors by pseudonym only; no name, email or org.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const locale = await getLocale(request, context);
  const t = getT(locale);
  const { db, env } = context.services;
  const query = parsePriorityQuery(new URL(request.url).searchParams);
  let exported;
  try {
    exported = await exportPriority(db, user, { ...priorityFilters(query), locale });
  } catch (error) {
    if (!isDomainError(error) || error.field !== 'org') throw error;
    const { anonymityThreshold } = await getSettings(db);
    return new Response(`${t(`insights.errors.${error.code}`, { k: anonymityThreshold })}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' },
    });
  }
  const csv = toCsv(
    CSV_COLUMNS.map((column) => t(`insights.csv.${column}`)),
    exported.rows.map((row) => [
      row.rank,
      row.id,
      row.title,
      t(`posts.types.${row.type}`),
      row.areaName,
      t(`posts.statuses.${row.status}`),
      row.author,
      row.score,
      row.votes,
      row.orgs,
      row.impactHours,
      row.impactSites,
      row.createdDay,
      row.ageDays,
      `${env.PUBLIC_URL}/posts/${row.id}`,
    ]),
  );
  const today = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="candor-priority-${today}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
