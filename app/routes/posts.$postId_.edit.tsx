import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { isDomainError } from '~/domain/errors';
import { POST_LIMITS } from '~/domain/posts/choices';
import { editPost, getPostForEdit } from '~/domain/posts/edit-post.server';
import { PostBodySchema, PostImpactShape, PostTitleSchema } from '~/domain/posts/post-input';
import { requireUser } from '~/utils/auth.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'posts.edit.title');

const EditPostFormSchema = z.object({
  title: PostTitleSchema,
  body: PostBodySchema,
  ...PostImpactShape,
});

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
  const submission = parseWithZod(await args.request.formData(), { schema: EditPostFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 });
  }
  try {
    await editPost(args.context.services.db, user, { postId: post.id, ...submission.value });
    return redirectWithFlash(`/posts/${post.id}`, 'posts.flash.updated');
  } catch (error) {
    return data({ result: replyWithDomainError(submission, error, 'posts.errors') }, { status: 400 });
  }
}

export default function EditPostPage() {
  const { post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EditPostFormSchema }),
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
            <div className="actions">
              <SubmitButton>{t('posts.edit.save')}</SubmitButton>
            </div>
          </Form>
        )}
      </section>
    </>
  );
}
