import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { DraftPreview, IdentityWarning } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { POST_LIMITS } from '~/domain/posts/choices';
import type { IdentifyingKind } from '~/domain/posts/detect-identifying-text';
import { editPost, getPostForEdit } from '~/domain/posts/edit-post.server';
import { PostBodySchema, PostImpactShape, PostTitleSchema } from '~/domain/posts/post-input';
import { reviewDraft } from '~/domain/posts/review-draft.server';
import { requireUser } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'posts.edit.title');

const EditPostFormSchema = z.object({
  title: PostTitleSchema,
  body: PostBodySchema,
  ...PostImpactShape,
  intent: z.enum(['save', 'save-anyway']).default('save'),
});

// "Preview" re-shows the draft as it is: no field is required yet.
const PreviewFormSchema = z.object({ intent: z.literal('preview') });

const parseEdit = (formData: FormData) => parseWithZod(formData, { schema: EditPostFormSchema });

type EditActionData = {
  result: SubmissionResult<string[]>;
  previewHtml: string | null;
  warnings: IdentifyingKind[];
};

const PostIdSchema = z.string().min(1).max(64);

/** The author's post, or the page answers 404 (no such post) or 403 (someone else's). */
async function loadOwnPost(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request, args.context);
  const postId = PostIdSchema.safeParse(args.params.postId);
  if (!postId.success) throw new Response('Not Found', { status: 404 });
  try {
    return { user, post: await getPostForEdit(args.context.services.db, user, postId.data) };
  } catch (error) {
    if (isDomainError(error) && error.status === 403) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
    if (isDomainError(error) && error.status === 404) throw new Response('Not Found', { status: 404 });
    throw error;
  }
}

export async function loader(args: LoaderFunctionArgs) {
  const { post } = await loadOwnPost(args);
  return { post };
}

export async function action(args: ActionFunctionArgs) {
  const { user, post } = await loadOwnPost(args);
  const formData = await args.request.formData();
  const { db } = args.context.services;
  const intent = formData.get('intent');
  // The same checks as composing: a preview on request, warnings about identifying text always.
  const { previewHtml, warnings } = await reviewDraft(db, user, Object.fromEntries(formData), { preview: intent === 'preview' });

  if (intent === 'preview') {
    const submission = parseWithZod(formData, { schema: PreviewFormSchema });
    return { result: submission.reply(), previewHtml, warnings } satisfies EditActionData;
  }

  const submission = parseEdit(formData);
  if (submission.status !== 'success') {
    return data<EditActionData>({ result: submission.reply(), previewHtml: null, warnings }, { status: 400 });
  }
  if (warnings.length > 0 && submission.value.intent !== 'save-anyway') {
    const result = submission.reply({ formErrors: ['posts.edit.confirmNeeded'] });
    return data<EditActionData>({ result, previewHtml: null, warnings }, { status: 400 });
  }
  try {
    const { intent: _intent, ...fields } = submission.value;
    await editPost(db, user, { postId: post.id, ...fields });
    return redirectWithFlash(`/posts/${post.id}`, 'posts.flash.updated');
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'posts.errors');
    return data<EditActionData>({ result, previewHtml: null, warnings }, { status: 400 });
  }
}

export default function EditPostPage() {
  const { post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as EditActionData | undefined;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: 'edit-post',
    lastResult: actionData?.result,
    defaultValue: {
      title: post.title,
      body: post.body,
      impactHoursPerWeek: post.impactHoursPerWeek ?? undefined,
      impactSites: post.impactSites ?? undefined,
      impactNote: post.impactNote ?? undefined,
    },
    constraint: getZodConstraint(EditPostFormSchema),
    // A preview goes to the server with the draft as it is.
    onValidate: ({ formData }) =>
      formData.get('intent') === 'preview'
        ? (parseWithZod(formData, { schema: PreviewFormSchema }) as unknown as ReturnType<typeof parseEdit>)
        : parseEdit(formData),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onBlur',
  });
  return (
    <>
      <PageHeader title={t('posts.edit.title')} intro={t('posts.edit.intro')} />
      <p>
        <Link to={`/posts/${post.id}`}>← {t('posts.edit.back')}</Link>
      </p>
      <section className="panel">
        {!post.editable ? (
          <>
            <h2>{t('posts.edit.lockedTitle')}</h2>
            <p>{t('posts.edit.locked')}</p>
          </>
        ) : (
          <Form method="post" className="form" {...getFormProps(form)}>
            <FormErrors errors={form.errors} id={form.errorId} />
            <Field
              meta={fields.title}
              label={t('posts.compose.postTitle')}
              hint={t('posts.compose.titleHint')}
              maxLength={POST_LIMITS.titleMax}
            />
            <TextareaField
              meta={fields.body}
              label={t('posts.compose.body')}
              hint={t('posts.compose.bodyHint')}
              maxLength={POST_LIMITS.bodyMax}
            />
            <fieldset className="impact">
              <legend>{t('posts.compose.impactLegend')}</legend>
              <Field meta={fields.impactHoursPerWeek} label={t('posts.compose.hours')} type="number" hint={t('posts.compose.hoursHint')} />
              <Field meta={fields.impactSites} label={t('posts.compose.sites')} type="number" hint={t('posts.compose.sitesHint')} />
              <Field meta={fields.impactNote} label={t('posts.compose.note')} hint={t('posts.compose.noteHint')} maxLength={POST_LIMITS.noteMax} />
            </fieldset>

            <DraftPreview html={actionData?.previewHtml} />

            <IdentityWarning kinds={actionData?.warnings ?? []} bodyKey="posts.edit.identityBody">
              <div className="actions">
                <SubmitButton className="button button--secondary" name="intent" value="save-anyway">
                  {t('posts.edit.saveAnyway')}
                </SubmitButton>
              </div>
            </IdentityWarning>

            <div className="actions">
              <SubmitButton name="intent" value="save">
                {t('posts.edit.save')}
              </SubmitButton>
              <SubmitButton className="button button--secondary" name="intent" value="preview">
                {t('posts.compose.preview')}
              </SubmitButton>
            </div>
          </Form>
        )}
      </section>
    </>
  );
}
