import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { TierOptions } from '~/components/choice-options';
import { DataTable } from '~/components/data-table';
import { Field, FormErrors, SelectField, SubmitButton } from '~/components/forms';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { TIER_CHOICES } from '~/domain/admin/choices';
import { createOrg } from '~/domain/admin/create-org.server';
import { listOrgs } from '~/domain/admin/list-orgs.server';
import { normaliseOrgDomain, orgDomainProblem } from '~/domain/admin/org-domain';
import { requirePermission } from '~/utils/auth.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.orgs.title');

const CreateOrgFormSchema = z.object({
  name: z
    .string({ error: 'common.errors.required' })
    .trim()
    .min(1, { error: 'common.errors.required' })
    .max(120, { error: 'common.errors.tooLong?max=120' }),
  valueTier: z.enum(TIER_CHOICES, { error: 'admin.errors.tierRequired' }),
  domain: z
    .string()
    .max(253, { error: 'admin.errors.domain_invalid' })
    .transform(normaliseOrgDomain)
    .superRefine((domain, ctx) => {
      const problem = orgDomainProblem(domain);
      if (problem) ctx.addIssue({ code: 'custom', message: `admin.errors.${problem}` });
    })
    .optional(),
});

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.orgs');
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listOrgs(context.services.db, user, { after });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.orgs');
  const submission = parseWithZod(await request.formData(), { schema: CreateOrgFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 });
  }
  try {
    const { orgId } = await createOrg(context.services.db, user, submission.value);
    return redirectWithFlash(`/admin/orgs/${orgId}`, 'admin.flash.orgCreated');
  } catch (error) {
    const reply = replyWithDomainError(submission, error, 'admin.errors');
    return data({ result: reply }, { status: 400 });
  }
}

export default function AdminOrgsPage() {
  const { orgs, nextAfter } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: 'create-org',
    lastResult: actionData?.result,
    constraint: getZodConstraint(CreateOrgFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateOrgFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <>
      <PageHeader title={t('admin.orgs.title')} intro={t('admin.orgs.intro')} />

      <section className="panel" aria-labelledby="create-org-heading">
        <h2 id="create-org-heading">{t('admin.orgs.createTitle')}</h2>
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <Field meta={fields.name} label={t('admin.orgs.name')} maxLength={120} />
          <SelectField meta={fields.valueTier} label={t('admin.orgs.tier')} hint={t('admin.orgs.tierHint')}>
            <option value="">{t('admin.orgs.tierChoose')}</option>
            <TierOptions />
          </SelectField>
          <Field meta={fields.domain} label={t('admin.orgs.domain')} hint={t('admin.orgs.domainHint')} maxLength={253} />
          <div className="actions">
            <SubmitButton>{t('admin.orgs.create')}</SubmitButton>
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="org-list-heading">
        <h2 id="org-list-heading">{t('admin.orgs.listTitle')}</h2>
        {orgs.length === 0 ? (
          <p className="empty-state">{t('admin.orgs.none')}</p>
        ) : (
          <DataTable
            columns={[
              t('admin.orgs.columns.name'),
              t('admin.orgs.columns.tier'),
              t('admin.orgs.columns.domains'),
              t('admin.orgs.columns.members'),
            ]}
          >
            {orgs.map((org) => (
              <tr key={org.id}>
                <td>
                  <Link to={`/admin/orgs/${org.id}`}>{org.name}</Link>
                </td>
                <td>
                  <span className="badge">{t(`common.tiers.${org.valueTier}`)}</span>
                </td>
                <td>
                  {org.domains.length ? (
                    org.domains.join(', ')
                  ) : (
                    <span className="muted">{t('admin.orgs.noDomains')}</span>
                  )}
                </td>
                <td>{org.activeMemberCount}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <NextPageLink after={nextAfter}>{t('common.actions.next')}</NextPageLink>
      </section>
    </>
  );
}
