import { useTranslation } from 'react-i18next';
import { DataTable } from '~/components/data-table';
import { FormErrors } from '~/components/forms';
import { NextPageLink } from '~/components/next-page-link';
import { RowActionForm } from '~/components/row-action-form';
import { UtcDate } from '~/components/time';
import type { ALL_ROLES } from '~/domain/admin/choices';

const STATUS_BADGE = {
  pending: '',
  accepted: 'badge--success',
  revoked: 'badge--danger',
  expired: 'badge--muted',
} as const;

interface InviteListItem {
  id: string;
  emailHint: string;
  orgName: string | null;
  roles: readonly (typeof ALL_ROLES)[number][];
  status: keyof typeof STATUS_BADGE;
  expiresAt: Date;
  invitedBy: string;
  invitedByZh: string;
}

/**
 * A page of invites with their status, and a revoke button on each pending
 * one; the revoke posts intent "revoke" with the inviteId to the page's action.
 *
 * scope "all-orgs" is the vendor admin's list. "own-org" is an org admin's
 * list of their own org's invites: no org column (it is always theirs), no
 * inviter column, and the roles read as one badge, member or org admin, the
 * only two an org invite can give.
 */
export function InviteList({
  scope,
  title,
  headingId,
  invites,
  nextAfter,
  revokeErrors,
}: {
  scope: 'all-orgs' | 'own-org';
  title: string;
  headingId: string;
  invites: readonly InviteListItem[];
  nextAfter: string | null;
  revokeErrors: string[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  const allOrgs = scope === 'all-orgs';
  const columns = [
    t('admin.invites.columns.email'),
    ...(allOrgs ? [t('admin.invites.columns.org')] : []),
    t('admin.invites.columns.roles'),
    t('admin.invites.columns.status'),
    t('admin.invites.columns.expires'),
    ...(allOrgs ? [t('admin.invites.columns.invitedBy')] : []),
    t('admin.invites.columns.actions'),
  ];
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <FormErrors errors={revokeErrors} />
      {invites.length === 0 ? (
        <p className="empty-state">{t('admin.invites.none')}</p>
      ) : (
        <DataTable columns={columns}>
          {invites.map((invite) => (
            <tr key={invite.id}>
              <td>{invite.emailHint}</td>
              {allOrgs ? <td>{invite.orgName ?? <span className="muted">{t('admin.invites.staff')}</span>}</td> : null}
              <td>
                {allOrgs ? (
                  <ul className="tag-list">
                    {invite.roles.length ? (
                      invite.roles.map((role) => (
                        <li key={role} className="badge">
                          {t(`common.roles.${role}`)}
                        </li>
                      ))
                    ) : (
                      <li className="badge badge--muted">{t('common.roles.member')}</li>
                    )}
                  </ul>
                ) : (
                  <span className={invite.roles.length ? 'badge' : 'badge badge--muted'}>
                    {invite.roles.includes('org_admin') ? t('common.roles.org_admin') : t('common.roles.member')}
                  </span>
                )}
              </td>
              <td>
                <span className={`badge ${STATUS_BADGE[invite.status]}`}>{t(`admin.invites.status.${invite.status}`)}</span>
              </td>
              <td>
                <UtcDate value={invite.expiresAt} />
              </td>
              {allOrgs ? <td>{i18n.language === 'zh-CN' ? invite.invitedByZh : invite.invitedBy}</td> : null}
              <td>
                {invite.status === 'pending' ? (
                  <RowActionForm
                    intent="revoke"
                    hidden={{ inviteId: invite.id }}
                    buttonClassName="button button--danger button--small"
                    ariaLabel={t('admin.invites.revokeLabel', { email: invite.emailHint })}
                  >
                    {t('common.actions.revoke')}
                  </RowActionForm>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <NextPageLink after={nextAfter}>{t('common.actions.older')}</NextPageLink>
    </section>
  );
}
