import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { TierOptions } from '~/components/choice-options';
import { DataTable } from '~/components/data-table';
import { errorsOf, Field, FormErrors, SelectField, SubmitButton } from '~/components/forms';
import { RowActionForm } from '~/components/row-action-form';
import { addOrgDomain } from '~/domain/admin/add-org-domain.server';
import { TIER_CHOICES } from '~/domain/admin/choices';
import { getOrg } from '~/domain/admin/get-org.server';
import { normaliseOrgDomain, orgDomainProblem } from '~/domain/admin/org-domain';
import { removeOrgDomain } from '~/domain/admin/remove-org-domain.server';
import { updateOrg } from '~/domain/admin/update-org.server';
import { isDomainError } from '~/domain/errors';
import { requirePermission } from '~/utils/auth.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { notFound } from '~/utils/http.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.org.title');

const UpdateOrgFormSchema = z.object({
  name: z
    .string({ error: 'common.errors.required' })
    .trim()
    .min(1, { error: 'common.errors.required' })
    .max(120, { error: 'common.errors.tooLong?max=120' }),
  valueTier: z.enum(TIER_CHOICES, { error: 'admin.errors.tierRequired' }),
});

const AddDomainFormSchema = z.object({
  domain: z
    .string({ error: 'common.errors.required' })
    .max(253, { error: 'admin.errors.domain_invalid' })
    .transform(normaliseOrgDomain)
    .superRefine((domain, ctx) => {
      const problem = orgDomainProblem(domain);
      if (problem) ctx.addIssue({ code: 'custom', message: `admin.errors.${problem}` });
    }),
});

const OrgActionSchema = z.discriminatedUnion(
  'intent',
  [
    UpdateOrgFormSchema.extend({ intent: z.literal('update') }),
    AddDomainFormSchema.extend({ intent: z.literal('addDomain') }),
    z.object({ intent: z.literal('removeDomain'), domain: z.string({ error: 'common.errors.required' }).max(300) }),
  ],
  { error: 'admin.errors.unknownAction' },
);

const ParamsSchema = z.object({ orgId: z.string().min(1).max(64) });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.orgs');
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  try {
    return { org: await getOrg(context.services.db, user, parsed.data.orgId) };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.orgs');
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  const { orgId } = parsed.data;
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const submission = parseWithZod(formData, { schema: OrgActionSchema });
  if (submission.status !== 'success') {
    return data({ intent, result: submission.reply() }, { status: 400 });
  }
  const { db } = context.services;
  const command = submission.value;
  try {
    if (command.intent === 'update') {
      await updateOrg(db, user, { orgId, name: command.name, valueTier: command.valueTier });
      return redirectWithFlash(`/admin/orgs/${orgId}`, 'admin.flash.orgUpdated');
    }
    if (command.intent === 'addDomain') {
      await addOrgDomain(db, user, { orgId, domain: command.domain });
      return redirectWithFlash(`/admin/orgs/${orgId}`, 'admin.flash.domainAdded');
    }
    await removeOrgDomain(db, user, { orgId, domain: command.domain });
    return redirectWithFlash(`/admin/orgs/${orgId}`, 'admin.flash.domainRemoved');
  } catch (error) {
    if (isDomainError(error) && error.code === 'org_not_found') throw notFound();
    const result = replyWithDomainError(submission, error, 'admin.errors');
    return data({ intent, result }, { status: 400 });
  }
}

export default function AdminOrgPage() {
  const { org } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const resultFor = (intent: string) => (actionData?.intent === intent ? actionData.result : undefined);

  const [updateForm, updateFields] = useForm({
    id: 'update-org',
    lastResult: resultFor('update'),
    defaultValue: { name: org.name, valueTier: org.valueTier },
    constraint: getZodConstraint(UpdateOrgFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateOrgFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const [domainForm, domainFields] = useForm({
    id: 'add-domain',
    lastResult: resultFor('addDomain'),
    constraint: getZodConstraint(AddDomainFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddDomainFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const removeErrors = actionData?.intent === 'removeDomain' ? errorsOf(actionData.result) : undefined;

  return (
    <>
      <header className="page-header">
        <div>
          <p className="small">
            <Link to="/admin/orgs">{t('admin.org.back')}</Link>
          </p>
          <h1>{org.name}</h1>
          <p>
            <span className="badge">{t(`common.tiers.${org.valueTier}`)}</span>
          </p>
        </div>
        <div>
          <p className="stat">{org.activeMemberCount}</p>
          <p className="small muted">{t('admin.org.activeMembers')}</p>
        </div>
      </header>

      <div className="grid">
        <section className="panel" aria-labelledby="org-details-heading">
          <h2 id="org-details-heading">{t('admin.org.detailsTitle')}</h2>
          <Form method="post" className="form" {...getFormProps(updateForm)}>
            <FormErrors errors={updateForm.errors} id={updateForm.errorId} />
            <Field meta={updateFields.name} label={t('admin.orgs.name')} maxLength={120} />
            <SelectField meta={updateFields.valueTier} label={t('admin.orgs.tier')} hint={t('admin.orgs.tierHint')}>
              <TierOptions />
            </SelectField>
            <div className="actions">
              <SubmitButton name="intent" value="update">
                {t('common.actions.save')}
              </SubmitButton>
            </div>
          </Form>
        </section>

        <section className="panel" aria-labelledby="org-domains-heading">
          <h2 id="org-domains-heading">{t('admin.org.domainsTitle')}</h2>
          <p className="muted small">{t('admin.org.domainsIntro')}</p>
          <FormErrors errors={removeErrors} />
          {org.domains.length === 0 ? (
            <p className="empty-state">{t('admin.orgs.noDomains')}</p>
          ) : (
            <DataTable columns={[t('admin.org.domain'), <span className="muted">{t('admin.org.actionsColumn')}</span>]}>
              {org.domains.map((domain) => (
                <tr key={domain}>
                  <td>{domain}</td>
                  <td>
                    <RowActionForm
                      intent="removeDomain"
                      hidden={{ domain }}
                      buttonClassName="button button--danger button--small"
                      ariaLabel={t('admin.org.removeDomain', { domain })}
                    >
                      {t('common.actions.remove')}
                    </RowActionForm>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <Form method="post" className="form" {...getFormProps(domainForm)}>
            <FormErrors errors={domainForm.errors} id={domainForm.errorId} />
            <Field
              meta={domainFields.domain}
              label={t('admin.org.addDomainLabel')}
              hint={t('admin.orgs.domainHint')}
              maxLength={253}
            />
            <div className="actions">
              <SubmitButton name="intent" value="addDomain" className="button button--secondary">
                {t('admin.org.addDomain')}
              </SubmitButton>
            </div>
          </Form>
        </section>
      </div>
    </>
  );
}
