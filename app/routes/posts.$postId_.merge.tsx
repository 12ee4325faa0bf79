import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { errorsOf, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { Highlighted, PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { MERGE_NOTE_MAX_LENGTH, UNDO_WINDOW_HOURS } from '~/domain/merges/limits';
import { listMergeCandidates } from '~/domain/merges/list-merge-candidates.server';
import { mergePosts } from '~/domain/merges/merge-posts.server';
import { type MergePostSummary, type MergePreview, previewMerge } from '~/domain/merges/preview-merge.server';
import { undoMerge } from '~/domain/merges/undo-merge.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { notFound } from '~/utils/http.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

// Triage staff merge a duplicate here: choose the post to keep (similar
// titles, or a search), check what moves, confirm. The post page's Undo
// buttons post here too. Every step is a plain GET link or form post.
export const meta: MetaFunction = (args) => pageTitle(args, 'merge.page.title');

const SEARCH_MAX = 200;
const IdField = z.string({ error: 'merge.errors.unknownAction' }).min(1, { error: 'merge.errors.unknownAction' }).max(64);

const MergeFieldsSchema = z.object({
  note: z
    .string()
    .trim()
    .max(MERGE_NOTE_MAX_LENGTH, { error: `common.errors.tooLong?max=${MERGE_NOTE_MAX_LENGTH}` })
    .optional(),
});

const MergeActionSchema = z.discriminatedUnion(
  'intent',
  [
    MergeFieldsSchema.extend({ intent: z.literal('merge'), targetId: IdField }),
    z.object({ intent: z.literal('undo'), mergeId: IdField }),
  ],
  { error: 'merge.errors.unknownAction' },
);

const ParamsSchema = z.object({ postId: z.string().min(1).max(64) });
const QuerySchema = z.object({ q: z.string().catch(''), target: z.string().max(64).catch('') });

function parsePostId(params: unknown): string {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.postId;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const postId = parsePostId(params);
  const { q, target } = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const query = q.trim().slice(0, SEARCH_MAX);
  const { db } = context.services;
  try {
    // The confirm step, unless the rules refuse this target: then the choice again, saying why.
    let refusal: string | null = null;
    if (target) {
      try {
        const preview = await previewMerge(db, user, { sourceId: postId, targetId: target });
        return { step: 'confirm' as const, query, preview };
      } catch (error) {
        if (!isDomainError(error) || error.status === 403 || error.code === 'source_not_found') throw error;
        refusal = `merge.errors.${error.code}`;
      }
    }
    const found = await listMergeCandidates(db, user, { sourceId: postId, query, locale: await getLocale(request, context) });
    return { step: 'choose' as const, query, refusal, ...found };
  } catch (error) {
    if (isDomainError(error) && error.code === 'source_not_found') throw notFound();
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const postId = parsePostId(params);
  const submission = parseWithZod(await request.formData(), { schema: MergeActionSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { db } = context.services;
  const command = submission.value;
  try {
    if (command.intent === 'merge') {
      await mergePosts(db, user, { sourceId: postId, targetId: command.targetId, note: command.note });
      // To the target, where the moved votes now show.
      return redirectWithFlash(`/posts/${command.targetId}`, 'merge.flash.merged');
    }
    const { sourceId } = await undoMerge(db, user, { mergeId: command.mergeId });
    return redirectWithFlash(`/posts/${sourceId}`, 'merge.flash.undone');
  } catch (error) {
    if (isDomainError(error) && error.code === 'source_not_found') throw notFound();
    const result = replyWithDomainError(submission, error, 'merge.errors');
    // 409 for a merge or undo the rules refuse, 404 for a target that is gone.
    return data({ result }, { status: isDomainError(error) ? error.status : 400 });
  }
}

export default function MergePage() {
  const loaded = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const source = loaded.step === 'confirm' ? loaded.preview.source : loaded.source;
  return (
    <>
      <PageHeader title={t('merge.page.title')} intro={t('merge.page.intro')} />
      <p>
        <Link to={`/posts/${source.id}`}>← {t('merge.page.back')}</Link>
      </p>
      {/* The confirm form shows its own errors; a refused target already says why. */}
      {loaded.step === 'choose' && !loaded.refusal ? <ActionErrors /> : null}
      {loaded.step === 'confirm' ? (
        <ConfirmMerge preview={loaded.preview} query={loaded.query} />
      ) : (
        <>
          <section className="panel" aria-labelledby="merge-source-title">
            <h2 id="merge-source-title">{t('merge.page.duplicate')}</h2>
            <PostSummary post={source} />
          </section>
          {loaded.source.mergedIntoId ? (
            <p className="notice" role="status">
              {t('merge.page.alreadyMerged')} <Link to={`/posts/${loaded.source.mergedIntoId}`}>{t('merge.page.viewTarget')}</Link>
            </p>
          ) : (
            <ChooseTarget
              sourceId={source.id}
              query={loaded.query}
              refusal={loaded.refusal}
              basis={loaded.basis}
              candidates={loaded.candidates}
            />
          )}
        </>
      )}
    </>
  );
}

/** A refused undo or merge posted from another page lands here with its reason. */
function ActionErrors() {
  const actionData = useActionData<typeof action>();
  return <FormErrors errors={errorsOf(actionData?.result)} />;
}

function PostSummary({ post }: { post: Pick<MergePostSummary, 'id' | 'title' | 'type' | 'status' | 'voteCount'> }) {
  const { t } = useTranslation();
  return (
    <div className="merge-post">
      <p className="merge-post__title">
        <Link to={`/posts/${post.id}`}>{post.title}</Link>
      </p>
      <p className="small muted">
        <PostTypeBadge type={post.type} /> <PostStatusBadge status={post.status} /> {t('posts.compose.votes', { count: post.voteCount })}
      </p>
    </div>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type ChooseStep = Extract<Loaded, { step: 'choose' }>;

function ChooseTarget({
  sourceId,
  query,
  refusal,
  basis,
  candidates,
}: {
  sourceId: string;
  query: string;
  refusal: string | null;
  basis: ChooseStep['basis'];
  candidates: ChooseStep['candidates'];
}) {
  const { t } = useTranslation();
  const chooseHref = (targetId: string) => `/posts/${sourceId}/merge?${new URLSearchParams({ q: query, target: targetId })}`;
  return (
    <section className="panel" aria-labelledby="merge-choose-title">
      <h2 id="merge-choose-title">{t('merge.search.title')}</h2>
      <Form method="get" role="search" className="search-form">
        <label htmlFor="merge-q" className="visually-hidden">
          {t('merge.search.label')}
        </label>
        <input id="merge-q" type="search" name="q" defaultValue={query} maxLength={SEARCH_MAX} key={query} aria-describedby="merge-q-hint" />
        <button type="submit" className="button">
          {t('merge.search.submit')}
        </button>
      </Form>
      <p className="field__hint" id="merge-q-hint">
        {t('merge.search.hint')}
      </p>
      {refusal ? <FormErrors errors={[refusal]} /> : null}

      <h3>{basis === 'similar' ? t('merge.search.similarTitle') : t('merge.search.resultsTitle')}</h3>
      {candidates.length === 0 ? (
        <p className="empty-state">{basis === 'similar' ? t('merge.search.noneSimilar') : t('merge.search.none')}</p>
      ) : (
        <ol className="merge-candidates">
          {candidates.map((candidate) => {
            const title = candidate.title.map((segment) => segment.text).join('');
            return (
              <li key={candidate.id} className="merge-candidate">
                <div>
                  <p className="merge-post__title">
                    <Link to={`/posts/${candidate.id}`}>
                      <Highlighted segments={candidate.title} />
                    </Link>
                  </p>
                  <p className="small muted">
                    <PostTypeBadge type={candidate.type} /> <PostStatusBadge status={candidate.status} />{' '}
                    {t('posts.compose.votes', { count: candidate.voteCount })}
                  </p>
                </div>
                <Link
                  to={chooseHref(candidate.id)}
                  className="button button--secondary button--small"
                  aria-label={t('merge.search.chooseLabel', { title })}
                >
                  {t('merge.search.choose')}
                </Link>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function ConfirmMerge({ preview, query }: { preview: MergePreview; query: string }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'merge',
    lastResult: actionData?.result,
    constraint: getZodConstraint(MergeFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MergeFieldsSchema }),
    shouldRevalidate: 'onBlur',
  });
  const back = `/posts/${preview.source.id}/merge${query ? `?${new URLSearchParams({ q: query })}` : ''}`;
  return (
    <section className="panel" aria-labelledby="merge-confirm-title">
      <h2 id="merge-confirm-title">{t('merge.confirm.title')}</h2>
      <div className="merge-pair">
        <div>
          <h3>{t('merge.confirm.from')}</h3>
          <PostSummary post={preview.source} />
        </div>
        <p className="merge-pair__arrow" aria-hidden="true">
          →
        </p>
        <div>
          <h3>{t('merge.confirm.into')}</h3>
          <PostSummary post={preview.target} />
        </div>
      </div>
      <ul className="merge-arithmetic">
        <li>
          {t('merge.confirm.votesMove', { count: preview.votesMoving })}{' '}
          {preview.votersAlreadyOnTarget > 0 ? t('merge.confirm.overlap', { count: preview.votersAlreadyOnTarget }) : null}
        </li>
        <li>
          <strong>
            {t('merge.confirm.result', { before: preview.target.voteCount, after: preview.targetVoteCountAfter })}
          </strong>
        </li>
        <li>
          {t('merge.confirm.followersMove', { count: preview.followersMoving })}{' '}
          {preview.followersAlreadyOnTarget > 0
            ? t('merge.confirm.followersOverlap', { count: preview.followersAlreadyOnTarget })
            : null}
        </li>
        {preview.creditsCoauthor ? <li>{t('merge.confirm.coauthor')}</li> : null}
        <li>{t('merge.confirm.commentsStay')}</li>
        <li>{t('merge.confirm.undoHint', { hours: UNDO_WINDOW_HOURS })}</li>
      </ul>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="targetId" value={preview.target.id} />
        <TextareaField
          meta={fields.note}
          label={t('merge.confirm.note')}
          hint={t('merge.confirm.noteHint', { max: MERGE_NOTE_MAX_LENGTH })}
          maxLength={MERGE_NOTE_MAX_LENGTH}
          rows={3}
        />
        <div className="actions">
          <SubmitButton name="intent" value="merge">
            {t('merge.confirm.submit')}
          </SubmitButton>
          <Link to={back} className="button button--ghost">
            {t('merge.confirm.chooseAnother')}
          </Link>
        </div>
      </Form>
    </section>
  );
}
