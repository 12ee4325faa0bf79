import { getFormProps, getInputProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SelectField, SubmitButton, TextareaField } from '~/components/forms';
import { DraftPreview, IdentityWarning, PostStatusBadge } from '~/components/post-fields';
import { POST_LIMITS, POST_TYPE_CHOICES } from '~/domain/posts/choices';
import { createPost } from '~/domain/posts/create-post.server';
import type { IdentifyingKind } from '~/domain/posts/detect-identifying-text';
import { findSimilarPosts, type SimilarPost } from '~/domain/posts/find-similar-posts.server';
import { listProductAreas } from '~/domain/posts/list-product-areas.server';
import { PostBodySchema, PostImpactShape, PostTitleSchema, PostTypeSchema } from '~/domain/posts/post-input';
import { reviewDraft } from '~/domain/posts/review-draft.server';
import { getSettings } from '~/domain/settings/settings.server';
import { requireUser } from '~/utils/auth.server';
import { keyedHash, randomId } from '~/utils/crypto.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimit, rateLimitedReply } from '~/utils/rate-limit.server';

export const meta: MetaFunction = (args) => pageTitle(args, 'posts.compose.title');

const SubmissionKeySchema = z.string().min(8).max(64);

const ComposeFormSchema = z.object({
  type: PostTypeSchema,
  productAreaId: z.string({ error: 'posts.errors.areaRequired' }).max(64, { error: 'posts.errors.unknown_area' }),
  title: PostTitleSchema,
  body: PostBodySchema,
  ...PostImpactShape,
  submissionKey: SubmissionKeySchema,
  intent: z.enum(['post', 'post-anyway']).default('post'),
});

// "Preview" and "Check for similar posts" re-show the draft as it is: no
// field is required yet, so nothing is marked as an error.
const DraftFormSchema = z.object({ intent: z.enum(['preview', 'similar']) });

const isDraftIntent = (intent: unknown) => intent === 'preview' || intent === 'similar';
const parseCompose = (formData: FormData) => parseWithZod(formData, { schema: ComposeFormSchema });

type ComposeActionData = {
  result: SubmissionResult<string[]>;
  submissionKey: string;
  previewHtml: string | null;
  warnings: IdentifyingKind[];
  similar: SimilarPost[] | null;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const locale = await getLocale(request, context);
  const areas = await listProductAreas(context.services.db, locale);
  return {
    areas,
    // One key per form shown: the same form sent twice is one post.
    submissionKey: randomId(),
    pseudonym: locale === 'zh-CN' ? user.pseudonymZh : user.pseudonym,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const formData = await request.formData();
  const { db, vaultKeys } = context.services;
  const keyParse = SubmissionKeySchema.safeParse(formData.get('submissionKey'));
  const submissionKey = keyParse.success ? keyParse.data : randomId();
  const intent = formData.get('intent');
  const { draft, previewHtml, warnings } = await reviewDraft(db, user, Object.fromEntries(formData), {
    preview: intent === 'preview',
  });

  if (isDraftIntent(intent)) {
    const submission = parseWithZod(formData, { schema: DraftFormSchema });
    const reply: ComposeActionData = {
      result: submission.reply(),
      submissionKey,
      previewHtml,
      warnings,
      similar: await findSimilarPosts(db, user, { title: draft.title.trim().slice(0, POST_LIMITS.titleMax) }),
    };
    return reply;
  }

  const submission = parseWithZod(formData, { schema: ComposeFormSchema });
  const base = { submissionKey, previewHtml: null, similar: null };
  if (submission.status !== 'success') {
    return data<ComposeActionData>({ ...base, result: submission.reply(), warnings }, { status: 400 });
  }
  if (warnings.length > 0 && submission.value.intent !== 'post-anyway') {
    const result = submission.reply({ formErrors: ['posts.compose.confirmNeeded'] });
    return data<ComposeActionData>({ ...base, result, warnings }, { status: 400 });
  }

  const settings = await getSettings(db);
  const limit = await hitRateLimit(
    db,
    { name: 'post-create', limit: settings.postsPerHour, windowSeconds: 60 * 60 },
    keyedHash(vaultKeys.rateLimit, user.id),
  );
  if (!limit.allowed) {
    const refused = rateLimitedReply('posts.compose.rateLimited', limit);
    return data<ComposeActionData>(
      { ...base, result: submission.reply({ formErrors: [refused.message] }), warnings },
      refused.init,
    );
  }

  try {
    const { intent: _intent, ...input } = submission.value;
    const { postId } = await createPost(db, user, input);
    return redirectWithFlash(`/posts/${postId}`, 'posts.flash.created');
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'posts.errors');
    return data<ComposeActionData>({ ...base, result, warnings }, { status: 400 });
  }
}

export default function NewPostPage() {
  const { areas, submissionKey: freshKey, pseudonym } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ComposeActionData | undefined;
  const { t } = useTranslation();
  const similarFetcher = useFetcher<{ posts: SimilarPost[] }>();
  const debounce = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [form, fields] = useForm({
    id: 'compose',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ComposeFormSchema),
    // Preview and "similar" go to the server with the draft as it is.
    onValidate: ({ formData }) =>
      isDraftIntent(formData.get('intent'))
        ? (parseWithZod(formData, { schema: DraftFormSchema }) as unknown as ReturnType<typeof parseCompose>)
        : parseCompose(formData),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onBlur',
  });
  // The key of the form the member first saw, kept across previews.
  const submissionKey = actionData?.submissionKey ?? freshKey;
  const similar = similarFetcher.data?.posts ?? actionData?.similar ?? null;
  const titleProps = getInputProps(fields.title, { type: 'text', ariaAttributes: false });

  const suggest = (title: string) => {
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => {
      if (title.trim().length >= 2) similarFetcher.load(`/similar-posts?title=${encodeURIComponent(title.trim())}`);
    }, 350);
  };

  return (
    <>
      <header className="page-header">
        <div>
          <h1>{t('posts.compose.title')}</h1>
          <p>{t('posts.compose.intro', { pseudonym })}</p>
        </div>
      </header>
      <section className="panel">
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <SelectField meta={fields.type} label={t('posts.compose.type')}>
            <option value="">{t('posts.compose.typeChoose')}</option>
            {POST_TYPE_CHOICES.map((type) => (
              <option key={type} value={type}>
                {t(`posts.types.${type}`)}
              </option>
            ))}
          </SelectField>
          <SelectField meta={fields.productAreaId} label={t('posts.compose.area')}>
            <option value="">{t('posts.compose.areaChoose')}</option>
            {areas.map((area) => (
              <option key={area.id} value={area.id}>
                {area.name}
              </option>
            ))}
          </SelectField>

          <div className="field">
            <label htmlFor={fields.title.id}>{t('posts.compose.postTitle')}</label>
            <input
              {...titleProps}
              key={titleProps.key}
              maxLength={POST_LIMITS.titleMax}
              autoComplete="off"
              aria-invalid={fields.title.errors ? true : undefined}
              aria-describedby={[fields.title.descriptionId, fields.title.errors ? fields.title.errorId : null]
                .filter(Boolean)
                .join(' ')}
              onChange={(event) => suggest(event.currentTarget.value)}
            />
            <p className="field__hint" id={fields.title.descriptionId}>
              {t('posts.compose.titleHint')}
            </p>
            {fields.title.errors ? (
              <FormErrors errors={fields.title.errors} id={fields.title.errorId} />
            ) : null}
            <div className="actions">
              <SubmitButton className="button button--ghost button--small" name="intent" value="similar">
                {t('posts.compose.checkSimilar')}
              </SubmitButton>
            </div>
          </div>

          <SimilarPosts posts={similar} />

          <TextareaField
            meta={fields.body}
            label={t('posts.compose.body')}
            hint={t('posts.compose.bodyHint')}
            maxLength={POST_LIMITS.bodyMax}
          />

          <fieldset className="impact">
            <legend>{t('posts.compose.impactLegend')}</legend>
            <p className="field__hint">{t('posts.compose.impactIntro')}</p>
            <Field meta={fields.impactHoursPerWeek} label={t('posts.compose.hours')} type="number" hint={t('posts.compose.hoursHint')} />
            <Field meta={fields.impactSites} label={t('posts.compose.sites')} type="number" hint={t('posts.compose.sitesHint')} />
            <Field meta={fields.impactNote} label={t('posts.compose.note')} hint={t('posts.compose.noteHint')} maxLength={POST_LIMITS.noteMax} />
          </fieldset>

          <DraftPreview html={actionData?.previewHtml} />

          <IdentityWarning kinds={actionData?.warnings ?? []}>
            <div className="actions">
              <SubmitButton className="button button--secondary" name="intent" value="post-anyway">
                {t('posts.compose.postAnyway')}
              </SubmitButton>
            </div>
          </IdentityWarning>

          <div className="actions">
            <SubmitButton name="intent" value="post">
              {t('posts.compose.submit')}
            </SubmitButton>
            <SubmitButton className="button button--secondary" name="intent" value="preview">
              {t('posts.compose.preview')}
            </SubmitButton>
          </div>
        </Form>
      </section>
    </>
  );
}

function SimilarPosts({ posts }: { posts: SimilarPost[] | null }) {
  const { t } = useTranslation();
  if (posts === null) return null;
  return (
    <section className="similar-posts" aria-live="polite" aria-labelledby="similar-heading">
      <h2 id="similar-heading">{t('posts.compose.similarTitle')}</h2>
      {posts.length === 0 ? (
        <p className="muted small">{t('posts.compose.similarNone')}</p>
      ) : (
        <>
          <p className="small muted">{t('posts.compose.similarHint')}</p>
          <ul className="similar-posts__list">
            {posts.map((post) => (
              <li key={post.id}>
                <Link to={`/posts/${post.id}`}>{post.title}</Link> <PostStatusBadge status={post.status} />{' '}
                <span className="small muted">{t('posts.compose.votes', { count: post.voteCount })}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
