import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { useFetcher } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormErrors, SelectField, TextareaField } from '~/components/forms';
import { ItemIdSchema, MODERATION_LIMITS, REPORT_REASON_CHOICES, ReportNoteSchema, ReportReasonSchema } from '~/domain/moderation/choices';

/** The report form's fields, checked in the browser and again by the /report action. */
export const ReportFormSchema = z.object({
  postId: ItemIdSchema,
  commentId: ItemIdSchema.optional(),
  reason: ReportReasonSchema,
  note: ReportNoteSchema,
});

export type ReportActionData = { result: SubmissionResult<string[]> };

/**
 * Reports a post, or one of its comments, to the moderators: posts to
 * /report, which sends the member back to the post with a message. With
 * JavaScript a refusal shows here; without, on the /report page.
 */
export function ReportForm({
  postId,
  commentId,
  lastResult,
}: {
  postId: string;
  commentId?: string;
  /** The action's reply when the form was sent without JavaScript (the /report page). */
  lastResult?: SubmissionResult<string[]>;
}) {
  const { t } = useTranslation();
  const target = commentId ?? postId;
  const fetcher = useFetcher<ReportActionData>({ key: `report-${target}` });
  const [form, fields] = useForm({
    id: `report-${target}`,
    lastResult: fetcher.data?.result ?? lastResult,
    constraint: getZodConstraint(ReportFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReportFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const busy = fetcher.state !== 'idle';
  // The item in the address too: without JavaScript a refusal is shown on the /report page, whose loader needs it.
  const action = `/report?${new URLSearchParams(commentId ? { postId, commentId } : { postId })}`;
  return (
    <fetcher.Form method="post" action={action} className="form report-form" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="postId" value={postId} />
      {commentId ? <input type="hidden" name="commentId" value={commentId} /> : null}
      <SelectField meta={fields.reason} label={t('moderation.report.reason')}>
        <option value="">{t('moderation.report.reasonChoose')}</option>
        {REPORT_REASON_CHOICES.map((reason) => (
          <option key={reason} value={reason}>
            {t(`moderation.reasons.${reason}`)}
          </option>
        ))}
      </SelectField>
      <TextareaField
        meta={fields.note}
        label={t('moderation.report.note')}
        hint={t('moderation.report.noteHint', { max: MODERATION_LIMITS.reportNoteMax })}
        maxLength={MODERATION_LIMITS.reportNoteMax}
        rows={3}
      />
      <div className="actions">
        <button type="submit" className="button button--secondary button--small" disabled={busy} aria-busy={busy || undefined}>
          {busy ? t('common.actions.saving') : t('moderation.report.submit')}
        </button>
      </div>
    </fetcher.Form>
  );
}

/**
 * The small "Report" disclosure under a post or a comment; once sent, it
 * says so instead, until the moderators have decided.
 */
export function ReportDisclosure({
  postId,
  commentId,
  reported,
  label,
}: {
  postId: string;
  commentId?: string;
  reported: boolean;
  /** Completes "Report …" for screen readers ("this comment"): every summary shows just "Report". */
  label: string;
}) {
  const { t } = useTranslation();
  if (reported) {
    return <p className="report-sent small muted">{t('moderation.report.sent')}</p>;
  }
  return (
    <details className="report">
      <summary>
        {t('moderation.report.summary')}
        <span className="visually-hidden"> {label}</span>
      </summary>
      <p className="small muted">{t('moderation.report.intro')}</p>
      <ReportForm postId={postId} commentId={commentId} />
    </details>
  );
}
