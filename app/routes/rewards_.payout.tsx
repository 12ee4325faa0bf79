import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { PayoutDetailsFields } from '~/components/payout-details-fields';
import { PostDay } from '~/components/post-fields';
import { getOrgRewardMode } from '~/domain/orgs/get-reward-mode.server';
import { getMemberPayoutSummary, saveMemberPayoutDetails } from '~/domain/payouts/payout-details.server';
import { countRewardsAwaitingDetails } from '~/domain/rewards/list-my-rewards.server';
import { PAYOUT_SECRET_FIELDS, PayoutDetailsFormSchema } from '~/domain/rewards/payout-details-form';
import { requireUser } from '~/utils/auth.server';
import { keyedHash } from '~/utils/crypto.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimit, LIMITS, rateLimitedReply } from '~/utils/rate-limit.server';

export const meta: MetaFunction = (args) => pageTitle(args, 'rewards.payout.title');

// Payout details must not linger in a shared or proxy cache, in either direction.
const PRIVATE = { 'Cache-Control': 'private, no-store' };

/**
 * The claim page: the member's payout details, shown only as "•••• 1234" and
 * the day they were saved once given; the form to replace them is always
 * empty. Explains when none are needed (the org is paid, or recognition only).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.services;
  const [summary, orgMode, awaitingDetails] = await Promise.all([
    getMemberPayoutSummary(db, user.id),
    getOrgRewardMode(db, user),
    countRewardsAwaitingDetails(db, user),
  ]);
  const mode = orgMode?.mode ?? null;
  return data(
    {
      saved: summary ? { last4: summary.last4, savedDay: summary.updatedAt.toISOString().slice(0, 10) } : null,
      mode,
      awaitingDetails,
      // The form is for those who may be paid: their org pays its members, a
      // reward approved that way still waits, or they are replacing details.
      showForm: mode === 'member' || awaitingDetails > 0 || summary !== null,
    },
    { headers: PRIVATE },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: PayoutDetailsFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: PAYOUT_SECRET_FIELDS }) }, { status: 400, headers: PRIVATE });
  }
  const { db, vaultKeys } = context.services;
  // Keyed by account: a stolen session must not be able to redirect payouts again and again.
  const limit = await hitRateLimit(db, LIMITS.payoutDetailsPerAccount, keyedHash(vaultKeys.rateLimit, user.id));
  if (!limit.allowed) {
    const refused = rateLimitedReply('rewards.payout.errors.rateLimited', limit);
    const result = submission.reply({ formErrors: [refused.message], hideFields: PAYOUT_SECRET_FIELDS });
    return data({ result }, { status: refused.init.status, headers: { ...refused.init.headers, ...PRIVATE } });
  }
  await saveMemberPayoutDetails(db, vaultKeys, user, submission.value);
  return redirectWithFlash('/rewards/payout', 'rewards.payout.saved', { headers: PRIVATE });
}

export default function PayoutDetailsPage() {
  const { saved, mode, awaitingDetails, showForm } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    // A new form after each save: what was typed is never kept on the page.
    id: `payout-details-${saved?.savedDay ?? 'none'}-${saved?.last4 ?? ''}`,
    lastResult: actionData?.result,
    constraint: getZodConstraint(PayoutDetailsFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PayoutDetailsFormSchema }),
    shouldRevalidate: 'onBlur',
  });

  const notNeeded =
    mode === 'org' ? 'rewards.payout.notNeededOrg' : mode === 'recognition' ? 'rewards.payout.notNeededRecognition' : mode === null ? 'rewards.payout.notNeededNoOrg' : null;

  return (
    <>
      <PageHeader title={t('rewards.payout.title')} intro={t('rewards.payout.intro')} />

      {notNeeded ? (
        <p className="notice" role="note">
          {t(notNeeded)}
        </p>
      ) : null}
      {awaitingDetails > 0 ? (
        <p className="notice" role="status">
          {t('rewards.payout.waiting', { count: awaitingDetails })}
        </p>
      ) : null}

      <div className="grid">
        <section className="panel" aria-labelledby="payout-saved-heading">
          <h2 id="payout-saved-heading">{t('rewards.payout.savedTitle')}</h2>
          {saved ? (
            <dl className="details">
              <dt>{t('rewards.payout.account')}</dt>
              <dd className="payout-last4">{`•••• ${saved.last4}`}</dd>
              <dt>{t('rewards.payout.savedOn')}</dt>
              <dd>
                <PostDay day={saved.savedDay} />
              </dd>
            </dl>
          ) : (
            <p className="muted">{t('rewards.payout.none')}</p>
          )}
          <p className="small muted">{t('rewards.payout.who')}</p>
          <p>
            <Link to="/rewards">{t('rewards.payout.backToRewards')}</Link>
          </p>
        </section>

        {showForm ? (
          <section className="panel" aria-labelledby="payout-form-heading">
            <h2 id="payout-form-heading">{saved ? t('rewards.payout.replaceTitle') : t('rewards.payout.formTitle')}</h2>
            {saved ? <p className="muted small">{t('rewards.payout.replaceIntro')}</p> : null}
            <Form method="post" className="form" autoComplete="off" {...getFormProps(form)}>
              <FormErrors errors={form.errors} id={form.errorId} />
              <PayoutDetailsFields fields={fields} />
              <div className="actions">
                <SubmitButton>{t('rewards.payout.submit')}</SubmitButton>
              </div>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}
