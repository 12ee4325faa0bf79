import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { useFetcher } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormErrors, SelectField, TextareaField } from '~/components/forms';
import { TagBadge, TagSwatch } from '~/components/tag-badge';
import { POST_STATUS_CHOICES } from '~/domain/posts/choices';
import type { TriagePanel as TriagePanelData } from '~/domain/triage/get-triage-panel.server';
import { STATUS_NOTE_MAX_LENGTH } from '~/domain/triage/transitions';

// The schema lives with the form because two routes show it: the post page
// (through a fetcher) and /posts/:postId/triage, whose action it posts to.
export const TriagePanelFormSchema = z.object({
  version: z.number({ error: 'triage.errors.unknownAction' }).int().min(1, { error: 'triage.errors.unknownAction' }),
  productAreaId: z.string({ error: 'triage.errors.areaRequired' }).min(1).max(64, { error: 'triage.errors.unknown_area' }),
  tagIds: z.array(z.string().min(1).max(64, { error: 'triage.errors.unknown_tag' })).max(50).default([]),
  status: z.enum(POST_STATUS_CHOICES, { error: 'triage.errors.statusRequired' }),
  note: z
    .string()
    .trim()
    .max(STATUS_NOTE_MAX_LENGTH, { error: `common.errors.tooLong?max=${STATUS_NOTE_MAX_LENGTH}` })
    .optional(),
  assigneeId: z.string().max(64, { error: 'triage.errors.unknown_assignee' }).optional(),
  markTriaged: z.boolean().default(false),
});

/** What the triage action answers when it refuses; `conflict` when the post changed meanwhile. */
export interface TriageActionData {
  result: SubmissionResult<string[]>;
  conflict: boolean;
}

/**
 * The triage form of one post: area, tags, status with its public note, and
 * assignee, sent with the version it was made from. Works without
 * JavaScript (a plain post to /posts/:postId/triage, which shows the form
 * again on a refusal); with it, errors appear in place.
 */
export function TriagePanel({ panel, refused }: { panel: TriagePanelData; refused?: TriageActionData }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<TriageActionData>({ key: `triage-${panel.postId}` });
  const answer = fetcher.data ?? refused;
  const [form, fields] = useForm({
    id: `triage-${panel.postId}`,
    lastResult: answer?.result,
    defaultValue: {
      version: String(panel.version),
      productAreaId: panel.productAreaId,
      tagIds: panel.tagIds,
      status: panel.status,
      assigneeId: panel.assigneeId ?? '',
    },
    constraint: getZodConstraint(TriagePanelFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TriagePanelFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const busy = fetcher.state !== 'idle';
  const merged = panel.status === 'merged';
  const statusName = (status: string) => t(`posts.statuses.${status}`);

  return (
    <section className="panel triage-panel" aria-labelledby={`${form.id}-title`}>
      <h2 id={`${form.id}-title`}>{t('triage.panel.title')}</h2>
      {!panel.triaged ? <p className="small muted">{t('triage.panel.inInbox')}</p> : null}
      <fetcher.Form method="post" action={`/posts/${panel.postId}/triage`} className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        {answer?.conflict ? (
          <p>
            <a href={`/posts/${panel.postId}`} className="button button--secondary button--small">
              {t('triage.panel.reload')}
            </a>
          </p>
        ) : null}
        <input {...getInputProps(fields.version, { type: 'hidden' })} key={fields.version.key} />

        <SelectField meta={fields.productAreaId} label={t('triage.panel.area')}>
          {panel.areas.map((area) => (
            <option key={area.id} value={area.id}>
              {area.name}
            </option>
          ))}
        </SelectField>

        <fieldset className="checkbox-list tag-picker">
          <legend>{t('triage.panel.tags')}</legend>
          {panel.tags.length === 0 ? <p className="small muted">{t('triage.panel.noTags')}</p> : null}
          {getCollectionProps(fields.tagIds, { type: 'checkbox', options: panel.tags.map((tag) => tag.id) }).map((props) => {
            const tag = panel.tags.find((one) => one.id === props.value)!;
            return (
              <label key={props.key}>
                <input {...props} key={props.key} />
                <TagSwatch color={tag.color} />
                {tag.name}
              </label>
            );
          })}
        </fieldset>
        <FormErrors errors={allErrorsOf(fields.tagIds.allErrors)} id={fields.tagIds.errorId} />
        {panel.archivedTags.length > 0 ? (
          <p className="small muted">
            {t('triage.panel.archivedTags')}{' '}
            {panel.archivedTags.map((tag) => (
              <TagBadge key={tag.id} tag={tag} />
            ))}
          </p>
        ) : null}

        {merged ? (
          <>
            <p className="notice small">{t('triage.panel.merged')}</p>
            <input type="hidden" name={fields.status.name} value="merged" />
          </>
        ) : (
          <>
            <SelectField meta={fields.status} label={t('triage.panel.status')}>
              <option value={panel.status}>{t('triage.panel.currentStatus', { status: statusName(panel.status) })}</option>
              {panel.allowedStatuses.map((status) => (
                <option key={status} value={status}>
                  {statusName(status)}
                </option>
              ))}
            </SelectField>
            <TextareaField
              meta={fields.note}
              label={t('triage.panel.note')}
              hint={t('triage.panel.noteHint', { max: STATUS_NOTE_MAX_LENGTH })}
              maxLength={STATUS_NOTE_MAX_LENGTH}
              rows={3}
            />
          </>
        )}

        <SelectField meta={fields.assigneeId} label={t('triage.panel.assignee')}>
          <option value="">{t('triage.panel.unassigned')}</option>
          {panel.triagers.map((triager) => (
            <option key={triager.id} value={triager.id}>
              {triager.name}
            </option>
          ))}
        </SelectField>

        {!panel.triaged ? (
          <div className="field">
            <label className="checkbox">
              <input
                {...getInputProps(fields.markTriaged, { type: 'checkbox' })}
                key={fields.markTriaged.key}
                aria-describedby={fields.markTriaged.descriptionId}
              />
              {t('triage.panel.markTriaged')}
            </label>
            <p className="field__hint" id={fields.markTriaged.descriptionId}>
              {t('triage.panel.markTriagedHint')}
            </p>
          </div>
        ) : null}

        <div className="actions">
          <button type="submit" className="button" disabled={busy} aria-busy={busy || undefined}>
            {busy ? t('common.actions.saving') : t('triage.panel.save')}
          </button>
        </div>
      </fetcher.Form>
    </section>
  );
}

function allErrorsOf(allErrors: Record<string, string[]>): string[] | undefined {
  const errors = Object.values(allErrors).flat();
  return errors.length > 0 ? errors : undefined;
}
