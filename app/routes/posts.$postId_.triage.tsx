import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PageHeader } from '~/components/page-header';
import { PostStatusBadge } from '~/components/post-fields';
import { type TriageActionData, TriagePanel, TriagePanelFormSchema } from '~/components/triage-panel';
import { isDomainError } from '~/domain/errors';
import { getTriagePanel } from '~/domain/triage/get-triage-panel.server';
import { triageRefusalMessage } from '~/domain/triage/refusal-message';
import { triagePost } from '~/domain/triage/triage-post.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { notFound } from '~/utils/http.server';
import { getT } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

// The post page shows the triage panel and posts it here (with a fetcher);
// without JavaScript a refused form lands on this page, which shows it again
// with its errors.
export const meta: MetaFunction = (args) => pageTitle(args, 'triage.panel.title');

const PostIdSchema = z.string().min(1).max(64);

function parsePostId(params: Record<string, string | undefined>): string {
  const parsed = PostIdSchema.safeParse(params.postId);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const postId = parsePostId(params);
  try {
    return { panel: await getTriagePanel(context.services.db, user, postId, await getLocale(request, context)) };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'triage');
  const postId = parsePostId(params);
  const submission = parseWithZod(await request.formData(), { schema: TriagePanelFormSchema });
  if (submission.status !== 'success') {
    return data<TriageActionData>({ result: submission.reply(), conflict: false }, { status: 400 });
  }
  const form = submission.value;
  try {
    const { changed } = await triagePost(context.services.db, user, {
      postId,
      expectedVersion: form.version,
      productAreaId: form.productAreaId,
      tagIds: form.tagIds,
      assigneeId: form.assigneeId || null,
      status: form.status,
      note: form.note,
      markTriaged: form.markTriaged,
    });
    return redirectWithFlash(`/posts/${postId}`, changed ? 'triage.flash.saved' : 'triage.flash.nothingChanged');
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.code === 'post_not_found') throw notFound();
    if (error.status === 403) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
    const t = getT(await getLocale(request, context));
    const message = triageRefusalMessage(error, (status) => t(`posts.statuses.${status}`));
    // A conflict (changed meanwhile, a move not allowed) is about the whole post: said at the top.
    const result =
      error.field && error.status !== 409
        ? submission.reply({ fieldErrors: { [error.field]: [message] } })
        : submission.reply({ formErrors: [message] });
    return data<TriageActionData>({ result, conflict: error.code === 'changed_meanwhile' }, { status: error.status });
  }
}

export default function PostTriagePage() {
  const { panel } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('triage.panel.pageTitle', { title: panel.title })} intro={t('triage.panel.pageIntro')} />
      <p className="actions">
        <PostStatusBadge status={panel.status} />
        <Link to={`/posts/${panel.postId}`}>{t('triage.panel.back')}</Link>
      </p>
      <div className="post-triage-page">
        <TriagePanel key={panel.version} panel={panel} refused={refused} />
      </div>
    </>
  );
}
