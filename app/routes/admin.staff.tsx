import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { errorsOf, Field, FormErrors, SubmitButton } from '~/components/forms';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { RowActionForm } from '~/components/row-action-form';
import { ALL_ROLES, ORG_ROLES, STAFF_ROLES } from '~/domain/admin/choices';
import { findAccountByEmail } from '~/domain/admin/find-account-by-email.server';
import { grantRole } from '~/domain/admin/grant-role.server';
import { listStaff } from '~/domain/admin/list-staff.server';
import { revokeRole } from '~/domain/admin/revoke-role.server';
import { setStaffDisplayName } from '~/domain/admin/set-staff-display-name.server';
import { requirePermission } from '~/utils/auth.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.staff.title');

const FindAccountFormSchema = z.object({
  email: z
    .email({ error: 'common.errors.invalidEmail' })
    .max(254, { error: 'common.errors.invalidEmail' }),
});

const RoleChangeSchema = {
  userId: z.string({ error: 'common.errors.required' }).max(64),
  role: z.enum(ALL_ROLES, { error: 'admin.errors.roleRequired' }),
};

const StaffActionSchema = z.discriminatedUnion(
  'intent',
  [
    FindAccountFormSchema.extend({ intent: z.literal('find') }),
    z.object({ intent: z.literal('grant'), ...RoleChangeSchema }),
    z.object({ intent: z.literal('revokeRole'), ...RoleChangeSchema }),
    z.object({
      intent: z.literal('rename'),
      userId: z.string({ error: 'common.errors.required' }).max(64),
      staffDisplayName: z.string().trim().max(60, { error: 'common.errors.tooLong?max=60' }).default(''),
    }),
  ],
  { error: 'admin.errors.unknownAction' },
);

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.roles');
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listStaff(context.services.db, user, { after });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.roles');
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const submission = parseWithZod(formData, { schema: StaffActionSchema });
  if (submission.status !== 'success') {
    return data({ intent, result: submission.reply(), found: null }, { status: 400 });
  }
  const { db, vaultKeys } = context.services;
  const command = submission.value;
  try {
    switch (command.intent) {
      case 'find': {
        // Answered on the page, not in a URL: an address in a query string
        // would end up in access logs and browser history.
        const found = await findAccountByEmail(db, vaultKeys, user, { email: command.email });
        if (!found) {
          return data({
            intent,
            result: submission.reply({ fieldErrors: { email: ['admin.staff.notFound'] } }),
            found: null,
          });
        }
        return data({ intent, result: submission.reply(), found });
      }
      case 'grant':
        await grantRole(db, user, { userId: command.userId, role: command.role });
        return redirectWithFlash('/admin/staff', 'admin.flash.roleGranted');
      case 'revokeRole':
        await revokeRole(db, user, { userId: command.userId, role: command.role });
        return redirectWithFlash('/admin/staff', 'admin.flash.roleRevoked');
      case 'rename':
        await setStaffDisplayName(db, user, { userId: command.userId, staffDisplayName: command.staffDisplayName });
        return redirectWithFlash('/admin/staff', 'admin.flash.displayNameSaved');
    }
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'admin.errors');
    return data({ intent, result, found: null }, { status: 400 });
  }
}

export default function AdminStaffPage() {
  const { staff, nextAfter } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  const [findForm, findFields] = useForm({
    id: 'find-account',
    lastResult: actionData?.intent === 'find' ? actionData.result : undefined,
    constraint: getZodConstraint(FindAccountFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FindAccountFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const found = actionData?.found;
  const grantable = found
    ? (found.isOrgMember ? [...ORG_ROLES] : [...STAFF_ROLES]).filter((role) => !found.roles.includes(role))
    : [];
  const rowErrors = actionData && actionData.intent !== 'find' ? errorsOf(actionData.result) : undefined;

  return (
    <>
      <PageHeader title={t('admin.staff.title')} intro={t('admin.staff.intro')} />

      <section className="panel" aria-labelledby="find-account-heading">
        <h2 id="find-account-heading">{t('admin.staff.findTitle')}</h2>
        <p className="muted small">{t('admin.staff.findIntro')}</p>
        <Form method="post" className="form" {...getFormProps(findForm)}>
          <FormErrors errors={findForm.errors} id={findForm.errorId} />
          <Field meta={findFields.email} label={t('admin.staff.email')} type="email" autoComplete="off" maxLength={254} />
          <div className="actions">
            <SubmitButton name="intent" value="find" className="button button--secondary">
              {t('admin.staff.find')}
            </SubmitButton>
          </div>
        </Form>

        {found ? (
          <div className="stack" role="status">
            <h3>{zh ? found.pseudonymZh : found.pseudonym}</h3>
            <dl className="details">
              <dt>{t('admin.staff.kind')}</dt>
              <dd>{found.isOrgMember ? t('admin.staff.kindOrg') : t('admin.staff.kindStaff')}</dd>
              <dt>{t('admin.staff.currentRoles')}</dt>
              <dd>
                {found.roles.length
                  ? found.roles.map((role: string) => t(`common.roles.${role}`)).join(', ')
                  : t('common.roles.member')}
              </dd>
            </dl>
            {grantable.length ? (
              <Form method="post" className="form">
                <input type="hidden" name="userId" value={found.id} />
                <div className="field">
                  <label htmlFor="grant-role">{t('admin.staff.role')}</label>
                  <select id="grant-role" name="role" required aria-describedby="grant-role-hint">
                    {grantable.map((role) => (
                      <option key={role} value={role}>
                        {t(`common.roles.${role}`)}
                      </option>
                    ))}
                  </select>
                  <p className="field__hint" id="grant-role-hint">
                    {found.isOrgMember ? t('admin.staff.orgRolesHint') : t('admin.staff.staffRolesHint')}
                  </p>
                </div>
                <p className="notice small">{t('admin.staff.sessionsNote')}</p>
                <div className="actions">
                  <SubmitButton name="intent" value="grant">
                    {t('admin.staff.grant')}
                  </SubmitButton>
                </div>
              </Form>
            ) : (
              <p className="muted">{t('admin.staff.nothingToGrant')}</p>
            )}
          </div>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="staff-list-heading">
        <h2 id="staff-list-heading">{t('admin.staff.listTitle')}</h2>
        <p className="muted small">{t('admin.staff.sessionsNote')}</p>
        <FormErrors errors={rowErrors} />
        {staff.length === 0 ? (
          <p className="empty-state">{t('admin.staff.none')}</p>
        ) : (
          <DataTable
            columns={[
              t('admin.staff.columns.pseudonym'),
              t('admin.staff.columns.kind'),
              t('admin.staff.columns.roles'),
              t('admin.staff.columns.displayName'),
            ]}
          >
            {staff.map((person) => {
              const pseudonym = zh ? person.pseudonymZh : person.pseudonym;
              return (
                <tr key={person.id}>
                  <td>{pseudonym}</td>
                  <td>{person.isOrgMember ? t('admin.staff.kindOrg') : t('admin.staff.kindStaff')}</td>
                  <td>
                    <ul className="tag-list">
                      {person.roles.map((role) => (
                        <li key={role}>
                          <RowActionForm
                            intent="revokeRole"
                            hidden={{ userId: person.id, role }}
                            leading={<span className="badge">{t(`common.roles.${role}`)}</span>}
                            buttonClassName="button button--ghost button--small"
                            ariaLabel={t('admin.staff.revokeLabel', { role: t(`common.roles.${role}`), pseudonym })}
                          >
                            {t('common.actions.remove')}
                          </RowActionForm>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {person.isOrgMember ? (
                      <span className="muted small">{t('admin.staff.noDisplayName')}</span>
                    ) : (
                      <Form method="post" className="actions">
                        <input type="hidden" name="userId" value={person.id} />
                        <input
                          type="text"
                          name="staffDisplayName"
                          defaultValue={person.staffDisplayName ?? ''}
                          maxLength={60}
                          aria-label={t('admin.staff.displayNameLabel', { pseudonym })}
                        />
                        <button type="submit" name="intent" value="rename" className="button button--secondary button--small">
                          {t('common.actions.save')}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
        <NextPageLink after={nextAfter}>{t('common.actions.next')}</NextPageLink>
      </section>
    </>
  );
}
