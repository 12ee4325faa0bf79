import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { NominationStatusBadge, PoolStateBadge, RewardStatusBadge } from '~/components/finance-badges';
import { Money, useFormatMoney } from '~/components/finance-money';
import { Field, FormErrors, SubmitButton, TextareaField } from '~/components/forms';
import { PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { UtcDateTime } from '~/components/time';
import { type DomainError, isDomainError } from '~/domain/errors';
import { AmountTextSchema, refineAmount } from '~/domain/money/amount-input';
import { formatMoney, minorToDecimal } from '~/domain/money/money';
import { adjustNomination, decideNomination, type NominationError } from '~/domain/rewards/decide-nomination.server';
import { getNomination, type NominationDetail } from '~/domain/rewards/get-nomination.server';
import { requirePermission } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { notFound } from '~/utils/http.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'finance.nomination.title');

const ADJUST_REASON_MAX_LENGTH = 500;
const DECISION_REASON_MAX_LENGTH = 1000;

const requiredReason = (max: number) =>
  z
    .string({ error: 'finance.nominations.errors.reason_required' })
    .trim()
    .min(1, { error: 'finance.nominations.errors.reason_required' })
    .max(max, { error: `common.errors.tooLong?max=${max}` });

const AdjustFieldsSchema = z.object({ intent: z.literal('adjust'), amount: AmountTextSchema, reason: requiredReason(ADJUST_REASON_MAX_LENGTH) });

/** The amount is read in the nomination's currency: known from the loader in the browser, from the database in the action. */
function adjustFormSchema(currency: string) {
  return AdjustFieldsSchema.transform((form, ctx) => {
    const amountMinor = refineAmount(ctx, form.amount, currency, 'amount');
    return amountMinor === null ? z.NEVER : { ...form, amountMinor };
  });
}

// One form, two buttons: the reason is optional to approve, required to reject.
const DecisionFormSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('approve'),
      reason: z
        .string()
        .trim()
        .max(DECISION_REASON_MAX_LENGTH, { error: `common.errors.tooLong?max=${DECISION_REASON_MAX_LENGTH}` })
        .optional(),
    }),
    z.object({ intent: z.literal('reject'), reason: requiredReason(DECISION_REASON_MAX_LENGTH) }),
  ],
  { error: 'finance.nominations.errors.unknown_action' },
);

type ActionData = { intent: 'adjust' | 'decide'; result: SubmissionResult<string[]> };

async function loadNomination(context: LoaderFunctionArgs['context'], user: Parameters<typeof getNomination>[1], nominationId: string | undefined) {
  try {
    return await getNomination(context.services.db, user, nominationId ?? '');
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  return { nomination: await loadNomination(context, user, params.nominationId) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const { db } = context.services;
  const nomination = await loadNomination(context, user, params.nominationId);
  const formData = await request.formData();
  const intent = formData.get('intent') === 'adjust' ? 'adjust' : 'decide';
  const submission =
    intent === 'adjust'
      ? parseWithZod(formData, { schema: adjustFormSchema(nomination.currency) })
      : parseWithZod(formData, { schema: DecisionFormSchema });
  if (submission.status !== 'success') return data<ActionData>({ intent, result: submission.reply() }, { status: 400 });

  const value = submission.value;
  const back = `/finance/nominations/${nomination.id}`;
  try {
    if (value.intent === 'adjust') {
      await adjustNomination(db, user, { nominationId: nomination.id, amountMinor: value.amountMinor, reason: value.reason });
      return redirectWithFlash(back, 'finance.flash.adjusted');
    }
    const outcome = await decideNomination(db, user, { nominationId: nomination.id, decision: value.intent, reason: value.reason });
    const flash = {
      approved: 'finance.flash.approved',
      awaiting_second_approval: 'finance.flash.awaitingSecondApproval',
      rejected: 'finance.flash.rejected',
    } as const;
    return redirectWithFlash(back, flash[outcome]);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.code === 'nomination_not_found') throw notFound();
    if (error.code === 'forbidden') throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
    const message = refusalMessage(error as DomainError<NominationError>, nomination, await getLocale(request, context));
    // Only the adjust form has an amount field; on the decision form every refusal but the reason is about the whole.
    const onField = error.field === 'reason' || (error.field === 'amount' && intent === 'adjust') ? error.field : null;
    const result = onField ? submission.reply({ fieldErrors: { [onField]: [message] } }) : submission.reply({ formErrors: [message] });
    return data<ActionData>({ intent, result }, { status: error.status });
  }
}

/** A refusal as the person reads it; out of range names the range in their language. */
function refusalMessage(error: DomainError<NominationError>, nomination: NominationDetail, locale: string): string {
  if (error.code === 'amount_out_of_range') {
    const range = new URLSearchParams({
      min: formatMoney(nomination.range.minMinor, nomination.currency, locale),
      max: formatMoney(nomination.range.maxMinor, nomination.currency, locale),
    });
    return `finance.nominations.errors.amount_out_of_range?${range}`;
  }
  return `finance.nominations.errors.${error.code}`;
}

export default function NominationPage() {
  const { nomination } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const pending = nomination.status === 'pending';
  return (
    <>
      <p className="finance-back">
        <Link to="/finance/nominations">{t('finance.nomination.back')}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>{nomination.post.title}</h1>
          <p className="finance-card__badges">
            <span className="badge">{t(`finance.triggers.${nomination.trigger}`)}</span> <PostTypeBadge type={nomination.post.type} />{' '}
            <PostStatusBadge status={nomination.post.status} /> <NominationStatusBadge status={nomination.status} />{' '}
            <Link to={`/posts/${nomination.post.id}`}>{t('finance.nomination.openPost')}</Link>
          </p>
        </div>
      </header>

      <div className="finance-detail">
        <div className="finance-detail__main">
          <AmountPanel nomination={nomination} />
          <BeneficiariesPanel nomination={nomination} />
          <HistoryPanel nomination={nomination} />
        </div>
        <div className="finance-detail__side">
          <ApprovalsPanel nomination={nomination} />
          {pending ? <ActionsPanel nomination={nomination} /> : null}
        </div>
      </div>
    </>
  );
}

function AmountPanel({ nomination }: { nomination: NominationDetail }) {
  const { t } = useTranslation();
  const { explanation, policy, currency } = nomination;
  const parts = explanation ? explanation.parts.orgs + explanation.parts.hours + explanation.parts.sites : 0;
  return (
    <section className="panel" aria-labelledby="amount-heading">
      <h2 id="amount-heading">{t('finance.nomination.amountTitle')}</h2>
      <p className="stat">
        <Money minor={nomination.amountMinor} currency={currency} />
      </p>
      {nomination.amountMinor !== nomination.computedMinor ? (
        <p className="muted">
          {t('finance.nomination.adjustedFrom')} <Money minor={nomination.computedMinor} currency={currency} />
        </p>
      ) : null}
      <h3>{t('finance.nomination.whyTitle')}</h3>
      {explanation ? (
        <dl className="details finance-explanation">
          <dt>{t('finance.nomination.why.tier')}</dt>
          <dd>
            <Money minor={explanation.defaultMinor} currency={currency} />{' '}
            {t('finance.nomination.why.tierOf', { tier: t(`finance.triggers.${explanation.tier}`), version: policy.version })}
          </dd>
          <dt>{t('finance.nomination.why.impact')}</dt>
          <dd>{t('finance.policy.percent', { value: explanation.impactPercent })}</dd>
          <dt>{t('finance.nomination.why.base')}</dt>
          <dd>{t('finance.policy.percent', { value: policy.impactMinPercent })}</dd>
          <dt>{t('finance.nomination.why.orgs')}</dt>
          <dd>{t('finance.nomination.why.points', { points: explanation.parts.orgs })}</dd>
          <dt>{t('finance.nomination.why.hours')}</dt>
          <dd>{t('finance.nomination.why.points', { points: explanation.parts.hours })}</dd>
          <dt>{t('finance.nomination.why.sites')}</dt>
          <dd>{t('finance.nomination.why.points', { points: explanation.parts.sites })}</dd>
          <dt>{t('finance.nomination.why.computed')}</dt>
          <dd>
            <Money minor={nomination.computedMinor} currency={currency} />
          </dd>
        </dl>
      ) : (
        <p className="muted">{t('finance.nomination.why.missing')}</p>
      )}
      {explanation && policy.impactMinPercent + parts > policy.impactMaxPercent ? (
        <p className="muted small">{t('finance.nomination.why.multiplierCapped', { max: policy.impactMaxPercent })}</p>
      ) : null}
      {explanation?.capped ? (
        <p className="muted small">
          {t('finance.nomination.why.amountCapped')} <Money minor={explanation.maxMinor} currency={currency} />
        </p>
      ) : null}
      <p className="muted small">
        {t('finance.nomination.why.rule', { version: policy.version })}{' '}
        {t('finance.nomination.support', {
          votes: nomination.post.voteCount,
          count: nomination.post.orgCount,
        })}
        {nomination.post.impactHoursPerWeek !== null ? ` ${t('finance.nomination.impactHours', { hours: nomination.post.impactHoursPerWeek })}` : ''}
        {nomination.post.impactSites !== null ? ` ${t('finance.nomination.impactSites', { sites: nomination.post.impactSites })}` : ''}
      </p>
    </section>
  );
}

function BeneficiariesPanel({ nomination }: { nomination: NominationDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="beneficiaries-heading">
      <h2 id="beneficiaries-heading">{t('finance.nomination.beneficiariesTitle')}</h2>
      {nomination.rewards.length === 0 ? (
        <p className="empty-state">{t('finance.nominations.noBeneficiary')}</p>
      ) : (
        <DataTable
          columns={[
            t('finance.nomination.columns.pseudonym'),
            t('finance.nomination.columns.role'),
            t('finance.nomination.columns.tier'),
            t('finance.nomination.columns.mode'),
            t('finance.nomination.columns.gross'),
            t('finance.nomination.columns.withheld'),
            t('finance.nomination.columns.net'),
            t('finance.nomination.columns.status'),
          ]}
        >
          {nomination.rewards.map((reward) => {
            // Withholding and net are fixed at approval; until then only the gross is known.
            const settled = reward.status !== 'nominated' && reward.status !== 'cancelled' && reward.status !== 'rejected';
            return (
              <tr key={reward.rewardId}>
                <th scope="row">{i18n.language === 'zh-CN' ? reward.pseudonymZh : reward.pseudonym}</th>
                <td>{t(`finance.roles.${reward.role}`)}</td>
                <td>{reward.orgTier ? t(`common.tiers.${reward.orgTier}`) : t('finance.nomination.tierHidden')}</td>
                <td>{t(`finance.rewardModes.${reward.payoutMode ?? reward.orgRewardMode}`)}</td>
                <td className="numeric">
                  <Money minor={reward.grossMinor} currency={nomination.currency} />
                </td>
                <td className="numeric">{settled ? <Money minor={reward.withheldMinor} currency={nomination.currency} /> : '–'}</td>
                <td className="numeric">{settled ? <Money minor={reward.netMinor} currency={nomination.currency} /> : '–'}</td>
                <td>
                  <RewardStatusBadge status={reward.status} />
                  {reward.flaggedAt ? (
                    <>
                      {' '}
                      <span className="badge badge--danger">{t('finance.nominations.flagged')}</span>
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <p className="muted small">{t('finance.nomination.modesNote', { share: nomination.policy.coauthorSharePercent })}</p>
    </section>
  );
}

function HistoryPanel({ nomination }: { nomination: NominationDetail }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="adjustments-heading">
      <h2 id="adjustments-heading">{t('finance.nomination.adjustmentsTitle')}</h2>
      {nomination.adjustments.length === 0 ? (
        <p className="muted">{t('finance.nomination.noAdjustments')}</p>
      ) : (
        <ol className="timeline">
          {nomination.adjustments.map((adjustment, index) => (
            // Adjustments are append-only and in order: the position is a stable key.
            <li key={index} className="timeline__item">
              <p className="timeline__change">
                <Money minor={adjustment.fromMinor} currency={nomination.currency} /> → <Money minor={adjustment.toMinor} currency={nomination.currency} />
              </p>
              <p className="timeline__note">{adjustment.reason}</p>
              <p className="timeline__meta">
                {adjustment.by ?? t('finance.staffFallback')} · <UtcDateTime value={adjustment.at} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ApprovalsPanel({ nomination }: { nomination: NominationDetail }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">{t('finance.nomination.approvalsTitle')}</h2>
      <p className="finance-approvals">
        {t('finance.nominations.approvalsOf', { approvals: nomination.approvals, required: nomination.approvalsRequired })}
      </p>
      {nomination.approvalsRequired > 1 ? <p className="muted small">{t('finance.nomination.twoApprovers')}</p> : null}
      {nomination.decisions.length === 0 ? (
        <p className="muted">{t('finance.nomination.noDecisions')}</p>
      ) : (
        <ol className="timeline">
          {nomination.decisions.map((decision, index) => (
            // Decisions are append-only and in order: the position is a stable key.
            <li key={index} className="timeline__item">
              <p className="timeline__change">
                {decision.decision === 'approve' ? t('finance.nomination.decisions.approve') : t('finance.nomination.decisions.reject')}
                {decision.round !== nomination.round ? ` · ${t('finance.nomination.earlierRound', { round: decision.round })}` : ''}
              </p>
              {decision.reason ? <p className="timeline__note">{decision.reason}</p> : null}
              <p className="timeline__meta">
                {decision.byViewer ? t('finance.nomination.you') : (decision.by ?? t('finance.staffFallback'))} · <UtcDateTime value={decision.at} />
              </p>
            </li>
          ))}
        </ol>
      )}
      {nomination.pool ? (
        <p className="muted small">
          {t('finance.nomination.pool')} <Link to={`/finance/pools/${nomination.pool.id}`}>{nomination.pool.name}</Link>{' '}
          <PoolStateBadge state={nomination.pool.state} /> · {t('finance.nomination.available')}{' '}
          <Money minor={nomination.pool.availableMinor} currency={nomination.currency} />
        </p>
      ) : nomination.status === 'pending' ? (
        <p className="notice">{t('finance.nomination.noPool')}</p>
      ) : null}
    </section>
  );
}

function ActionsPanel({ nomination }: { nomination: NominationDetail }) {
  const { t } = useTranslation();
  const { blockedBecause } = nomination.viewer;
  return (
    <section className="panel" aria-labelledby="decide-heading">
      <h2 id="decide-heading">{t('finance.nomination.decideTitle')}</h2>
      {blockedBecause ? <p className="notice">{t(`finance.nomination.blocked.${blockedBecause}`)}</p> : null}
      {nomination.viewer.canDecide ? <DecisionForm nomination={nomination} /> : null}
      {nomination.viewer.canAdjust ? <AdjustForm nomination={nomination} /> : <p className="muted small">{t('finance.nomination.adjustClosed')}</p>}
    </section>
  );
}

function DecisionForm({ nomination }: { nomination: NominationDetail }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: 'decide-nomination',
    lastResult: actionData?.intent === 'decide' ? actionData.result : undefined,
    constraint: getZodConstraint(DecisionFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DecisionFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const firstOfTwo = nomination.approvalsRequired > 1 && nomination.approvals === 0;
  return (
    <Form method="post" className="form" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <p className="muted small">{firstOfTwo ? t('finance.nomination.firstOfTwo') : t('finance.nomination.approveReserves')}</p>
      <TextareaField
        meta={fields.reason}
        label={t('finance.nomination.fields.reason')}
        hint={t('finance.nomination.fields.reasonHint')}
        rows={3}
        maxLength={DECISION_REASON_MAX_LENGTH}
      />
      <div className="actions">
        <SubmitButton name="intent" value="approve">
          {t('finance.nomination.approve')}
        </SubmitButton>
        <SubmitButton name="intent" value="reject" className="button button--danger">
          {t('finance.nomination.reject')}
        </SubmitButton>
      </div>
    </Form>
  );
}

function AdjustForm({ nomination }: { nomination: NominationDetail }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const format = useFormatMoney();
  const [form, fields] = useForm<z.input<typeof AdjustFieldsSchema>>({
    id: 'adjust-nomination',
    lastResult: actionData?.intent === 'adjust' ? actionData.result : undefined,
    defaultValue: { amount: minorToDecimal(nomination.amountMinor, nomination.currency) },
    constraint: getZodConstraint(AdjustFieldsSchema),
    // Checked on the server only: with client-side validation, a form whose
    // amount the server had refused would not submit again once corrected.
  });
  return (
    <details className="finance-adjust" open={actionData?.intent === 'adjust' ? true : undefined}>
      <summary>{t('finance.nomination.adjustTitle')}</summary>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="intent" value="adjust" />
        <Field
          meta={fields.amount}
          label={t('finance.nomination.fields.amount', { currency: nomination.currency })}
          hint={t('finance.nomination.fields.amountHint', {
            min: format(nomination.range.minMinor, nomination.currency),
            max: format(nomination.range.maxMinor, nomination.currency),
          })}
        />
        <TextareaField meta={fields.reason} label={t('finance.nomination.fields.adjustReason')} rows={3} maxLength={ADJUST_REASON_MAX_LENGTH} />
        <div className="actions">
          <SubmitButton className="button button--secondary">{t('finance.nomination.adjust')}</SubmitButton>
        </div>
      </Form>
    </details>
  );
}
