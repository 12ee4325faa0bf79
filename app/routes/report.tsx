import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormErrors } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { type ReportActionData, ReportForm, ReportFormSchema } from '~/components/report-form';
import { isDomainError } from '~/domain/errors';
import { getReportTarget } from '~/domain/moderation/get-report-target.server';
import { reportContent } from '~/domain/moderation/report-content.server';
import { requireUser } from '~/utils/auth.server';
import { keyedHash } from '~/utils/crypto.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { notFound } from '~/utils/http.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimits, LIMITS, rateLimitedReply } from '~/utils/rate-limit.server';

// Reports of posts and comments. The post page's "Report" forms post here;
// this page shows the same form on its own, which is where a refusal lands
// when the browser runs no JavaScript.
export const meta: MetaFunction<typeof loader> = (args) =>
  pageTitle(args, args.data?.target.commentId ? 'moderation.report.commentTitle' : 'moderation.report.postTitle');

const TargetQuerySchema = z.object({
  postId: z.string().min(1).max(64),
  commentId: z.string().min(1).max(64).optional(),
});

/** Back to the reported item on its post. */
function itemHref(postId: string, commentId?: string | null): string {
  return commentId ? `/posts/${postId}#comment-${commentId}` : `/posts/${postId}`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  const query = TargetQuerySchema.safeParse(params);
  if (!query.success) throw notFound();
  try {
    return { target: await getReportTarget(context.services.db, user, query.data) };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: ReportFormSchema });
  if (submission.status !== 'success') {
    return data<ReportActionData>({ result: submission.reply() }, { status: 400 });
  }
  const { db, vaultKeys } = context.services;
  const limit = await hitRateLimits(db, [[LIMITS.reportsPerMember, keyedHash(vaultKeys.rateLimit, user.id)]]);
  if (!limit.allowed) {
    const refused = rateLimitedReply('moderation.errors.rateLimited', limit);
    return data<ReportActionData>({ result: submission.reply({ formErrors: [refused.message] }) }, refused.init);
  }
  const { postId, commentId } = submission.value;
  try {
    const { reported } = await reportContent(db, user, submission.value);
    return redirectWithFlash(itemHref(postId, commentId), reported ? 'moderation.flash.reported' : 'moderation.flash.alreadyReported');
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'moderation.errors');
    return data<ReportActionData>({ result }, { status: isDomainError(error) ? error.status : 400 });
  }
}

export default function ReportPage() {
  const { target } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const back = itemHref(target.postId, target.commentId);
  return (
    <>
      <PageHeader
        title={target.commentId ? t('moderation.report.commentTitle') : t('moderation.report.postTitle')}
        intro={t('moderation.report.intro')}
      />
      <p>
        <Link to={back}>← {t('moderation.report.back')}</Link>
      </p>
      <section className="panel panel--narrow">
        <p className="report-target">
          <strong>{target.commentId ? t('moderation.report.onPost', { title: target.postTitle }) : target.postTitle}</strong>
        </p>
        {target.commentId ? (
          target.commentExcerpt === null ? (
            <p className="muted">{t('moderation.report.hiddenComment')}</p>
          ) : (
            <blockquote className="report-target__excerpt">{target.commentExcerpt}</blockquote>
          )
        ) : null}
        {target.refusal ? (
          <FormErrors errors={[`moderation.errors.${target.refusal}`]} />
        ) : (
          <ReportForm postId={target.postId} commentId={target.commentId ?? undefined} lastResult={actionData?.result} />
        )}
      </section>
    </>
  );
}
