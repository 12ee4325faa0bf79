import { getCollectionProps, getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { errorsOf, Field, FormErrors, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { TagBadge, TagSwatch } from '~/components/tag-badge';
import { archiveTag } from '~/domain/tags/archive-tag.server';
import { TAG_COLOR_CHOICES } from '~/domain/tags/choices';
import { createTag } from '~/domain/tags/create-tag.server';
import { listTagsForAdmin } from '~/domain/tags/list-tags.server';
import { TagColorSchema, TagNameSchema, TagSlugSchema } from '~/domain/tags/tag-input';
import { updateTag } from '~/domain/tags/update-tag.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { pageTitle } from '~/utils/meta';

// Product admins keep the list; triagers use the tags on posts and in the inbox.
export const meta: MetaFunction = (args) => pageTitle(args, 'triage.tags.title');

const TagIdSchema = z.string().min(1).max(64);

const TagFormSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('create'), slug: TagSlugSchema, nameEn: TagNameSchema, nameZh: TagNameSchema, color: TagColorSchema }),
    z.object({ intent: z.literal('update'), tagId: TagIdSchema, nameEn: TagNameSchema, nameZh: TagNameSchema, color: TagColorSchema }),
    z.object({ intent: z.literal('archive'), tagId: TagIdSchema }),
    z.object({ intent: z.literal('restore'), tagId: TagIdSchema }),
  ],
  { error: 'triage.tags.errors.unknownAction' },
);

const CreateTagFormSchema = TagFormSchema.options[0];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'product.admin');
  return { tags: await listTagsForAdmin(context.services.db, user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'product.admin');
  const submission = parseWithZod(await request.formData(), { schema: TagFormSchema });
  if (submission.status !== 'success') {
    // A refused row form shows its message on its row, not on the create form.
    const tagId = typeof submission.payload.tagId === 'string' ? submission.payload.tagId : null;
    return data({ result: submission.reply(), tagId }, { status: 400 });
  }
  const { db } = context.services;
  const value = submission.value;
  try {
    switch (value.intent) {
      case 'create':
        await createTag(db, user, value);
        return redirectWithFlash('/triage/tags', 'triage.flash.tagCreated');
      case 'update':
        await updateTag(db, user, value);
        return redirectWithFlash('/triage/tags', 'triage.flash.tagUpdated');
      case 'archive':
      case 'restore':
        await archiveTag(db, user, { tagId: value.tagId, archived: value.intent === 'archive' });
        return redirectWithFlash('/triage/tags', value.intent === 'archive' ? 'triage.flash.tagArchived' : 'triage.flash.tagRestored');
    }
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'triage.tags.errors');
    return data({ result, tagId: 'tagId' in value ? value.tagId : null }, { status: 400 });
  }
}

export default function TagsPage() {
  const { tags } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  const [form, fields] = useForm({
    id: 'create-tag',
    lastResult: actionData && actionData.tagId === null ? actionData.result : undefined,
    defaultValue: { color: 'slate' },
    constraint: getZodConstraint(CreateTagFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TagFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const colorName = (color: string) => t(`triage.tags.colors.${color}`);
  return (
    <>
      <PageHeader title={t('triage.tags.title')} intro={t('triage.tags.intro')} />
      <p className="actions">
        <Link to="/triage">{t('triage.inbox.title')}</Link>
      </p>

      <section className="panel" aria-labelledby="create-tag-heading">
        <h2 id="create-tag-heading">{t('triage.tags.createTitle')}</h2>
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <input type="hidden" name="intent" value="create" />
          <Field meta={fields.slug} label={t('triage.tags.slug')} hint={t('triage.tags.slugHint')} maxLength={40} />
          <Field meta={fields.nameEn} label={t('triage.tags.nameEn')} maxLength={60} />
          <Field meta={fields.nameZh} label={t('triage.tags.nameZh')} maxLength={60} />
          <fieldset className="checkbox-list color-picker" aria-describedby={fields.color.descriptionId}>
            <legend>{t('triage.tags.color')}</legend>
            {getCollectionProps(fields.color, { type: 'radio', options: [...TAG_COLOR_CHOICES] }).map((props) => (
              <label key={props.key}>
                <input {...props} key={props.key} />
                <TagSwatch color={props.value} />
                {colorName(props.value)}
              </label>
            ))}
          </fieldset>
          <p className="field__hint" id={fields.color.descriptionId}>
            {t('triage.tags.colorHint')}
          </p>
          <FormErrors errors={fields.color.errors} id={fields.color.errorId} />
          <div className="actions">
            <SubmitButton>{t('triage.tags.create')}</SubmitButton>
          </div>
        </Form>
      </section>

      <section className="panel" aria-labelledby="tag-list-heading">
        <h2 id="tag-list-heading">{t('triage.tags.listTitle')}</h2>
        {tags.length === 0 ? (
          <p className="empty-state">{t('triage.tags.none')}</p>
        ) : (
          <DataTable
            columns={[
              t('triage.tags.columns.tag'),
              t('triage.tags.columns.names'),
              t('triage.tags.columns.slug'),
              t('triage.tags.columns.posts'),
              t('triage.tags.columns.state'),
              t('triage.tags.columns.actions'),
            ]}
          >
            {tags.map((tag) => {
              const rowErrors = actionData && actionData.tagId === tag.id ? errorsOf(actionData.result) : undefined;
              const name = zh ? tag.nameZh : tag.nameEn;
              return (
                <tr key={tag.id}>
                  <td>
                    <TagBadge tag={{ name, color: tag.color }} />
                  </td>
                  <td>
                    <Form method="post" className="tag-edit" aria-label={t('triage.tags.editLabel', { name })}>
                      <input type="hidden" name="tagId" value={tag.id} />
                      <label className="visually-hidden" htmlFor={`tag-en-${tag.id}`}>
                        {t('triage.tags.nameEn')}
                      </label>
                      <input type="text" id={`tag-en-${tag.id}`} name="nameEn" defaultValue={tag.nameEn} maxLength={60} required />
                      <label className="visually-hidden" htmlFor={`tag-zh-${tag.id}`}>
                        {t('triage.tags.nameZh')}
                      </label>
                      <input type="text" id={`tag-zh-${tag.id}`} name="nameZh" defaultValue={tag.nameZh} maxLength={60} required lang="zh-CN" />
                      <label className="visually-hidden" htmlFor={`tag-color-${tag.id}`}>
                        {t('triage.tags.color')}
                      </label>
                      <select id={`tag-color-${tag.id}`} name="color" defaultValue={tag.color}>
                        {TAG_COLOR_CHOICES.map((color) => (
                          <option key={color} value={color}>
                            {colorName(color)}
                          </option>
                        ))}
                      </select>
                      <SubmitButton className="button button--secondary button--small" name="intent" value="update">
                        {t('triage.tags.save')}
                      </SubmitButton>
                    </Form>
                    <FormErrors errors={rowErrors} />
                  </td>
                  <td>
                    <code>{tag.slug}</code>
                  </td>
                  <td className="numeric">{tag.postCount}</td>
                  <td>
                    {tag.archived ? (
                      <span className="badge badge--muted">{t('triage.tags.archived')}</span>
                    ) : (
                      <span className="badge badge--success">{t('triage.tags.active')}</span>
                    )}
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="tagId" value={tag.id} />
                      {tag.archived ? (
                        <SubmitButton className="button button--secondary button--small" name="intent" value="restore">
                          {t('triage.tags.restore')}
                        </SubmitButton>
                      ) : (
                        <SubmitButton className="button button--danger button--small" name="intent" value="archive">
                          {t('triage.tags.archive')}
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
