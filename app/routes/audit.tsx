import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { PageHeader } from '~/components/page-header';
import { UtcDateTime } from '~/components/time';
import { listAuditLog } from '~/domain/admin/list-audit-log.server';
import { requirePermission } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.audit.title');

const PageQuerySchema = z.object({
  before: z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .optional()
    .catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'audit.read');
  const { before } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listAuditLog(context.services.db, user, { before });
  return { ...page, isFirstPage: !before };
}

export default function AuditPage() {
  const { entries, nextBefore, isFirstPage } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <PageHeader title={t('admin.audit.title')} intro={t('admin.audit.intro')} />
      <section className="panel">
        {entries.length === 0 ? (
          <p className="empty-state">{t('admin.audit.none')}</p>
        ) : (
          <DataTable
            columns={[
              t('admin.audit.columns.time'),
              t('admin.audit.columns.actor'),
              t('admin.audit.columns.action'),
              t('admin.audit.columns.subject'),
              t('admin.audit.columns.change'),
            ]}
          >
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <UtcDateTime value={entry.createdAt} />
                </td>
                <td>
                  {(i18n.language === 'zh-CN' ? entry.actorPseudonymZh : entry.actorPseudonym) ?? (
                    <span className="muted">{t('admin.audit.system')}</span>
                  )}
                </td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>
                  <code>
                    {entry.subjectType}
                    {entry.subjectId ? `:${entry.subjectId}` : ''}
                  </code>
                </td>
                <td>
                  <Change label={t('admin.audit.before')} value={entry.before} />
                  <Change label={t('admin.audit.after')} value={entry.after} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <p className="actions">
          {isFirstPage ? null : (
            <Link to="/audit" className="button button--secondary button--small">
              {t('admin.audit.newest')}
            </Link>
          )}
          {nextBefore ? (
            <Link to={`?before=${nextBefore}`} className="button button--secondary button--small">
              {t('common.actions.older')}
            </Link>
          ) : null}
        </p>
      </section>
    </>
  );
}

function Change({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  return (
    <div>
      <p className="small muted">{label}</p>
      <pre className="mail">{JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}
