import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { errorsOf, Field, FormErrors, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { archiveProductArea } from '~/domain/posts/archive-product-area.server';
import { createProductArea } from '~/domain/posts/create-product-area.server';
import { listProductAreasForAdmin } from '~/domain/posts/list-product-areas.server';
import { AreaNameSchema, AreaSlugSchema } from '~/domain/posts/product-area-input';
import { renameProductArea } from '~/domain/posts/rename-product-area.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { pageTitle } from '~/utils/meta';

// admin_ keeps this page out of the /admin layout, which is for portal admins;
// product areas belong to product admins.
export const meta: MetaFunction = (args) => pageTitle(args, 'posts.areas.title');

const AreaIdSchema = z.string().min(1).max(64);

const AreaFormSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), slug: AreaSlugSchema, nameEn: AreaNameSchema, nameZh: AreaNameSchema }),
  z.object({ intent: z.literal('rename'), areaId: AreaIdSchema, nameEn: AreaNameSchema, nameZh: AreaNameSchema }),
  z.object({ intent: z.literal('archive'), areaId: AreaIdSchema }),
  z.object({ intent: z.literal('restore'), areaId: AreaIdSchema }),
]);

const CreateAreaFormSchema = AreaFormSchema.options[0];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'product.admin');
  return { areas: await listProductAreasForAdmin(context.services.db, user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'product.admin');
  const submission = parseWithZod(await request.formData(), { schema: AreaFormSchema });
  if (submission.status !== 'success') {
    // A refused row form shows its message on its row, not on the create form.
    const areaId = typeof submission.payload.areaId === 'string' ? submission.payload.areaId : null;
    return data({ result: submission.reply(), intent: areaId ? 'row' : null, areaId }, { status: 400 });
  }
  const { db } = context.services;
  const value = submission.value;
  try {
    switch (value.intent) {
      case 'create':
        await createProductArea(db, user, value);
        return redirectWithFlash('/admin/areas', 'posts.flash.areaCreated');
      case 'rename':
        await renameProductArea(db, user, value);
        return redirectWithFlash('/admin/areas', 'posts.flash.areaRenamed');
      case 'archive':
      case 'restore':
        await archiveProductArea(db, user, { areaId: value.areaId, archived: value.intent === 'archive' });
        return redirectWithFlash('/admin/areas', value.intent === 'archive' ? 'posts.flash.areaArchived' : 'posts.flash.areaRestored');
    }
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'posts.errors');
    return data({ result, intent: value.intent, areaId: 'areaId' in value ? value.areaId : null }, { status: 400 });
  }
}

export default function ProductAreasPage() {
  const { areas } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const createFailed = actionData && (actionData.intent === 'create' || actionData.intent === null);
  const [form, fields] = useForm({
    id: 'create-area',
    lastResult: createFailed ? actionData.result : undefined,
    constraint: getZodConstraint(CreateAreaFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AreaFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <>
      <PageHeader title={t('posts.areas.title')} intro={t('posts.areas.intro')} />

      <section className="panel" aria-labelledby="create-area-heading">
        <h2 id="create-area-heading">{t('posts.areas.createTitle')}</h2>
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <input type="hidden" name="intent" value="create" />
          <Field meta={fields.slug} label={t('posts.areas.slug')} hint={t('posts.areas.slugHint')} maxLength={40} />
          <Field meta={fields.nameEn} label={t('posts.areas.nameEn')} maxLength={80} />
          <Field meta={fields.nameZh} label={t('posts.areas.nameZh')} maxLength={80} />
          <div className="actions">
            <SubmitButton>{t('posts.areas.create')}</SubmitButton>
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="area-list-heading">
        <h2 id="area-list-heading">{t('posts.areas.listTitle')}</h2>
        {areas.length === 0 ? (
          <p className="empty-state">{t('posts.areas.none')}</p>
        ) : (
          <DataTable
            columns={[
              t('posts.areas.columns.nameEn'),
              t('posts.areas.columns.nameZh'),
              t('posts.areas.columns.slug'),
              t('posts.areas.columns.posts'),
              t('posts.areas.columns.state'),
              t('posts.areas.columns.actions'),
            ]}
          >
            {areas.map((area) => {
              const rowErrors = actionData && actionData.areaId === area.id ? errorsOf(actionData.result) : undefined;
              return (
                <tr key={area.id}>
                  <td colSpan={2}>
                    <Form method="post" className="area-rename" aria-label={t('posts.areas.renameLabel', { name: area.nameEn })}>
                      <input type="hidden" name="areaId" value={area.id} />
                      <label className="visually-hidden" htmlFor={`area-en-${area.id}`}>
                        {t('posts.areas.nameEn')}
                      </label>
                      <input type="text" id={`area-en-${area.id}`} name="nameEn" defaultValue={area.nameEn} maxLength={80} required />
                      <label className="visually-hidden" htmlFor={`area-zh-${area.id}`}>
                        {t('posts.areas.nameZh')}
                      </label>
                      <input type="text" id={`area-zh-${area.id}`} name="nameZh" defaultValue={area.nameZh} maxLength={80} required lang="zh-CN" />
                      <SubmitButton className="button button--secondary button--small" name="intent" value="rename">
                        {t('posts.areas.rename')}
                      </SubmitButton>
                    </Form>
                    <FormErrors errors={rowErrors} />
                  </td>
                  <td>
                    <code>{area.slug}</code>
                  </td>
                  <td className="numeric">{area.postCount}</td>
                  <td>
                    {area.archived ? (
                      <span className="badge badge--muted">{t('posts.areas.archived')}</span>
                    ) : (
                      <span className="badge badge--success">{t('posts.areas.active')}</span>
                    )}
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="areaId" value={area.id} />
                      {area.archived ? (
                        <SubmitButton className="button button--secondary button--small" name="intent" value="restore">
                          {t('posts.areas.restore')}
                        </SubmitButton>
                      ) : (
                        <SubmitButton className="button button--danger button--small" name="intent" value="archive">
                          {t('posts.areas.archive')}
                        </SubmitButton>
                      )}
                    </Form>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
    </>
  );
}
