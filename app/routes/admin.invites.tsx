import {
  type FieldMetadata,
  getCollectionProps,
  getFormProps,
  getSelectProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/forms';
import { ALL_ROLES, LOCALE_CHOICES } from '~/domain/admin/choices';
import { createInvite } from '~/domain/admin/create-invite.server';
import { getOrg } from '~/domain/admin/get-org.server';
import { listInvites } from '~/domain/admin/list-invites.server';
import { listOrgOptions } from '~/domain/admin/list-org-options.server';
import { revokeInvite } from '~/domain/admin/revoke-invite.server';
import { isDomainError } from '~/domain/errors';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { translateMessage } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.invites.title');

const CreateInviteFormSchema = z.object({
  email: z
    .email({ error: 'common.errors.invalidEmail' })
    .max(254, { error: 'common.errors.invalidEmail' }),
  /** Empty means vendor staff: no org. */
  orgId: z.string().max(64).optional(),
  roles: z.array(z.enum(ALL_ROLES, { error: 'admin.errors.role_not_allowed' })).max(ALL_ROLES.length),
  locale: z.enum(LOCALE_CHOICES, { error: 'admin.errors.localeRequired' }),
});

const InviteActionSchema = z.discriminatedUnion(
  'intent',
  [
    CreateInviteFormSchema.extend({ intent: z.literal('create') }),
    z.object({ intent: z.literal('revoke'), inviteId: z.string({ error: 'common.errors.required' }).max(64) }),
  ],
  { error: 'admin.errors.unknownAction' },
);

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.invites');
  const { db } = context.services;
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const isAdmin = user.roles.includes('admin');
  try {
    // Org admins reach this page's data only for their own org (the policy
    // lives in the use-cases); their page is /org.
    const [page, orgs, locale] = await Promise.all([
      listInvites(db, user, { after }),
      isAdmin
        ? listOrgOptions(db, user)
        : user.orgId
          ? getOrg(db, user, user.orgId).then((org) => [{ id: org.id, name: org.name }])
          : Promise.resolve([]),
      getLocale(request, context),
    ]);
    return { ...page, orgs, isAdmin, locale };
  } catch (error) {
    if (isDomainError(error) && error.status === 403) throw new Response('Forbidden', { status: 403 });
    throw error;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.invites');
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const submission = parseWithZod(formData, { schema: InviteActionSchema });
  if (submission.status !== 'success') {
    return data({ intent, result: submission.reply(), created: null }, { status: 400 });
  }
  const { db, vaultKeys, mailer, env, logger } = context.services;
  const command = submission.value;
  try {
    if (command.intent === 'revoke') {
      await revokeInvite(db, user, { inviteId: command.inviteId });
      return redirectWithFlash('/admin/invites', 'admin.flash.inviteRevoked');
    }
    const { link, mail } = await createInvite(
      db,
      vaultKeys,
      user,
      { email: command.email, orgId: command.orgId ?? null, roles: command.roles, locale: command.locale },
      env.PUBLIC_URL,
    );
    let mailSent = true;
    try {
      await mailer.send(mail);
    } catch (error) {
      // The invite stands and its link is shown below, so the admin can pass
      // it on another way. Only the error code is logged: SMTP messages may
      // quote the address.
      mailSent = false;
      logger.warn({ code: (error as { code?: unknown }).code ?? null }, 'invite mail not sent');
    }
    // The link is shown once, right here; only its hash is stored.
    return data({ intent, result: submission.reply({ resetForm: true }), created: { link, mailSent } });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.status === 403) throw new Response('Forbidden', { status: 403 });
    const message = `admin.errors.${error.code}`;
    const result = error.field
      ? submission.reply({ fieldErrors: { [error.field]: [message] } })
      : submission.reply({ formErrors: [message] });
    return data({ intent, result, created: null }, { status: 400 });
  }
}

export default function AdminInvitesPage() {
  const { invites, nextAfter, orgs, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm({
    id: 'create-invite',
    lastResult: actionData?.intent === 'create' ? actionData.result : undefined,
    defaultValue: { locale, roles: [] },
    constraint: getZodConstraint(CreateInviteFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateInviteFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const created = actionData?.created;
  const revokeErrors = actionData?.intent === 'revoke' ? errorsOf(actionData.result) : undefined;
  const roleErrors = Object.values(fields.roles.allErrors).flat();
  const formatDate = (value: Date) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(value));

  return (
    <>
      <header className="page-header">
        <div>
          <h1>{t('admin.invites.title')}</h1>
          <p>{t('admin.invites.intro')}</p>
        </div>
      </header>

      {created ? (
        <section className="notice stack" role="status" aria-labelledby="invite-created-heading">
          <h2 id="invite-created-heading">{t('admin.invites.createdTitle')}</h2>
          <p>{created.mailSent ? t('admin.invites.createdBody') : t('admin.invites.mailFailed')}</p>
          <div className="field">
            <label htmlFor="invite-link">{t('admin.invites.link')}</label>
            <input id="invite-link" type="text" readOnly value={created.link} />
          </div>
          <p className="small">{t('admin.invites.linkOnce')}</p>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="create-invite-heading">
        <h2 id="create-invite-heading">{t('admin.invites.createTitle')}</h2>
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <Field meta={fields.email} label={t('admin.invites.email')} type="email" autoComplete="off" maxLength={254} />
          <SelectField meta={fields.orgId} label={t('admin.invites.org')} hint={t('admin.invites.orgHint')}>
            <option value="">{t('admin.invites.staffOption')}</option>
            {orgs.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </SelectField>
          <fieldset className="checkbox-list" aria-describedby={fields.roles.descriptionId}>
            <legend>{t('admin.invites.roles')}</legend>
            {getCollectionProps(fields.roles, { type: 'checkbox', options: [...ALL_ROLES] }).map((props) => (
              <label key={props.key}>
                <input {...props} key={props.key} />
                {t(`common.roles.${props.value}`)}
              </label>
            ))}
          </fieldset>
          <p className="field__hint" id={fields.roles.descriptionId}>
            {t('admin.invites.rolesHint')}
          </p>
          {roleErrors.length ? (
            <p className="field__error" id={fields.roles.errorId} role="alert">
              {roleErrors.map((error) => translateMessage(t, error)).join(' ')}
            </p>
          ) : null}
          <SelectField meta={fields.locale} label={t('admin.invites.locale')} hint={t('admin.invites.localeHint')}>
            {LOCALE_CHOICES.map((choice) => (
              <option key={choice} value={choice} lang={choice}>
                {choice === 'zh-CN' ? t('common.language.zhCN') : t('common.language.en')}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <SubmitButton name="intent" value="create">
              {t('admin.invites.send')}
            </SubmitButton>
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="invite-list-heading">
        <h2 id="invite-list-heading">{t('admin.invites.listTitle')}</h2>
        <FormErrors errors={revokeErrors} />
        {invites.length === 0 ? (
          <p className="empty-state">{t('admin.invites.none')}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.invites.columns.email')}</th>
                  <th scope="col">{t('admin.invites.columns.org')}</th>
                  <th scope="col">{t('admin.invites.columns.roles')}</th>
                  <th scope="col">{t('admin.invites.columns.status')}</th>
                  <th scope="col">{t('admin.invites.columns.expires')}</th>
                  <th scope="col">{t('admin.invites.columns.invitedBy')}</th>
                  <th scope="col">{t('admin.invites.columns.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {invites.map((invite) => (
                  <tr key={invite.id}>
                    <td>{invite.emailHint}</td>
                    <td>{invite.orgName ?? <span className="muted">{t('admin.invites.staff')}</span>}</td>
                    <td>
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
                    </td>
                    <td>
                      <span className={`badge ${STATUS_BADGE[invite.status]}`}>
                        {t(`admin.invites.status.${invite.status}`)}
                      </span>
                    </td>
                    <td>
                      <time dateTime={new Date(invite.expiresAt).toISOString()}>{formatDate(invite.expiresAt)}</time>
                    </td>
                    <td>{i18n.language === 'zh-CN' ? invite.invitedByZh : invite.invitedBy}</td>
                    <td>
                      {invite.status === 'pending' ? (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="inviteId" value={invite.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="revoke"
                            className="button button--danger button--small"
                            aria-label={t('admin.invites.revokeLabel', { email: invite.emailHint })}
                          >
                            {t('common.actions.revoke')}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextAfter ? (
          <p className="actions">
            <Link to={`?after=${encodeURIComponent(nextAfter)}`} className="button button--secondary button--small">
              {t('common.actions.older')}
            </Link>
          </p>
        ) : null}
      </section>
    </>
  );
}

const STATUS_BADGE = {
  pending: '',
  accepted: 'badge--success',
  revoked: 'badge--danger',
  expired: 'badge--muted',
} as const;

/** Every message of a reply, for the small per-row forms that have no fields to hang them on. */
function errorsOf(result: SubmissionResult | undefined): string[] | undefined {
  if (!result?.error) return undefined;
  return Object.values(result.error).flatMap((messages) => messages ?? []);
}

function SelectField<Schema>({
  meta,
  label,
  hint,
  children,
}: {
  meta: FieldMetadata<Schema, Record<string, unknown>, string[]>;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const props = getSelectProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <select {...props} key={props.key}>
        {children}
      </select>
      {hint ? (
        <p className="field__hint" id={meta.descriptionId}>
          {hint}
        </p>
      ) : null}
      {meta.errors ? (
        <p className="field__error" id={meta.errorId} role="alert">
          {meta.errors.map((error) => translateMessage(t, error)).join(' ')}
        </p>
      ) : null}
    </div>
  );
}
