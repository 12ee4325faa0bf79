import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { LocaleOptions } from '~/components/choice-options';
import { CheckboxGroupField, errorsOf, Field, FormErrors, SelectField, SubmitButton } from '~/components/forms';
import { InviteCreatedNotice } from '~/components/invite-created-notice';
import { InviteList } from '~/components/invite-list';
import { PageHeader } from '~/components/page-header';
import { ALL_ROLES, LOCALE_CHOICES } from '~/domain/admin/choices';
import { createInvite } from '~/domain/admin/create-invite.server';
import { getOrg } from '~/domain/admin/get-org.server';
import { listInvites } from '~/domain/admin/list-invites.server';
import { listOrgOptions } from '~/domain/admin/list-org-options.server';
import { revokeInvite } from '~/domain/admin/revoke-invite.server';
import { isDomainError } from '~/domain/errors';
import { requirePermission } from '~/utils/auth.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
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
  const { db, vaultKeys, mailer, env } = context.services;
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
    // When the mail fails the invite still stands: its link is shown below,
    // to be passed on another way.
    const mailSent = await mailer.trySend(mail);
    // The link is shown once, right here; only its hash is stored.
    return data({ intent, result: submission.reply({ resetForm: true }), created: { link, mailSent } });
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'admin.errors');
    return data({ intent, result, created: null }, { status: 400 });
  }
}

export default function AdminInvitesPage() {
  const { invites, nextAfter, orgs, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: 'create-invite',
    lastResult: actionData?.intent === 'create' ? actionData.result : undefined,
    defaultValue: { locale, roles: [], orgId: '' },
    constraint: getZodConstraint(CreateInviteFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateInviteFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const created = actionData?.created;
  const revokeErrors = actionData?.intent === 'revoke' ? errorsOf(actionData.result) : undefined;

  return (
    <>
      <PageHeader title={t('admin.invites.title')} intro={t('admin.invites.intro')} />

      {created ? <InviteCreatedNotice link={created.link} mailSent={created.mailSent} /> : null}

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
          <CheckboxGroupField
            meta={fields.roles}
            legend={t('admin.invites.roles')}
            hint={t('admin.invites.rolesHint')}
            options={ALL_ROLES}
            optionLabel={(role) => t(`common.roles.${role}`)}
          />
          <SelectField meta={fields.locale} label={t('admin.invites.locale')} hint={t('admin.invites.localeHint')}>
            <LocaleOptions />
          </SelectField>
          <div className="actions">
            <SubmitButton name="intent" value="create">
              {t('admin.invites.send')}
            </SubmitButton>
          </div>
        </Form>
      </section>

      <InviteList
        scope="all-orgs"
        title={t('admin.invites.listTitle')}
        headingId="invite-list-heading"
        invites={invites}
        nextAfter={nextAfter}
        revokeErrors={revokeErrors}
      />
    </>
  );
}
