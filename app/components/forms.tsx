import {
  type FieldMetadata,
  getCollectionProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
} from '@conform-to/react';
import { useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { translateMessage } from '~/utils/i18n';

type InputType = 'text' | 'email' | 'password' | 'number' | 'date' | 'search';

/**
 * A labelled input with its hint and error, wired for screen readers.
 * Error messages are translation keys (from the zod schema or the action).
 */
export function Field({
  meta,
  label,
  type = 'text',
  hint,
  autoComplete,
  maxLength,
}: {
  meta: FieldMetadata<string | number | undefined>;
  label: string;
  type?: InputType;
  hint?: ReactNode;
  autoComplete?: string;
  maxLength?: number;
}) {
  const describedBy = [hint ? meta.descriptionId : null, meta.errors ? meta.errorId : null].filter(Boolean).join(' ');
  const inputProps = getInputProps(meta, { type, ariaAttributes: false });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <input
        {...inputProps}
        key={inputProps.key}
        autoComplete={autoComplete}
        maxLength={maxLength}
        aria-invalid={meta.errors ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      <FieldHint id={meta.descriptionId} hint={hint} />
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** A labelled textarea with its hint and error, like Field. */
export function TextareaField({
  meta,
  label,
  hint,
  rows = 10,
  maxLength,
}: {
  meta: FieldMetadata<string | undefined | null>;
  label: string;
  hint?: ReactNode;
  rows?: number;
  maxLength?: number;
}) {
  const describedBy = [hint ? meta.descriptionId : null, meta.errors ? meta.errorId : null].filter(Boolean).join(' ');
  const props = getTextareaProps(meta, { ariaAttributes: false });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <textarea
        {...props}
        key={props.key}
        rows={rows}
        maxLength={maxLength}
        aria-invalid={meta.errors ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      <FieldHint id={meta.descriptionId} hint={hint} />
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** A labelled select with its hint and error; the options come as children. */
export function SelectField<Schema>({
  meta,
  label,
  hint,
  children,
}: {
  meta: FieldMetadata<Schema, Record<string, unknown>, string[]>;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  const props = getSelectProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <select {...props} key={props.key}>
        {children}
      </select>
      <FieldHint id={meta.descriptionId} hint={hint} />
      <FieldError id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** A fieldset of checkboxes for a field that holds several of the given options. */
export function CheckboxGroupField<Schema>({
  meta,
  legend,
  hint,
  options,
  optionLabel,
}: {
  meta: FieldMetadata<Schema, Record<string, unknown>, string[]>;
  legend: string;
  hint?: string;
  options: readonly string[];
  optionLabel: (option: string) => string;
}) {
  // allErrors, not errors: a bad choice is reported on its item (roles[0]), not on the group.
  const errors = Object.values(meta.allErrors).flat();
  return (
    <>
      <fieldset className="checkbox-list" aria-describedby={hint ? meta.descriptionId : undefined}>
        <legend>{legend}</legend>
        {getCollectionProps(meta, { type: 'checkbox', options: [...options] }).map((props) => (
          <label key={props.key}>
            <input {...props} key={props.key} />
            {optionLabel(props.value)}
          </label>
        ))}
      </fieldset>
      <FieldHint id={meta.descriptionId} hint={hint} />
      <FieldError id={meta.errorId} errors={errors.length ? errors : undefined} />
    </>
  );
}

export function FormErrors({ errors, id }: { errors?: string[]; id?: string }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <p className="form-error" id={id} role="alert">
      {errors.map((error) => translateMessage(t, error)).join(' ')}
    </p>
  );
}

function FieldHint({ id, hint }: { id: string; hint: ReactNode }) {
  if (!hint) return null;
  return (
    <p className="field__hint" id={id}>
      {hint}
    </p>
  );
}

function FieldError({ id, errors }: { id: string; errors: string[] | undefined }) {
  const { t } = useTranslation();
  if (!errors) return null;
  return (
    <p className="field__error" id={id} role="alert">
      {errors.map((error) => translateMessage(t, error)).join(' ')}
    </p>
  );
}

/** Every message of a reply, for the small per-row forms that have no fields to hang them on. */
export function errorsOf(result: SubmissionResult | undefined): string[] | undefined {
  if (!result?.error) return undefined;
  return Object.values(result.error).flatMap((messages) => messages ?? []);
}

/** A submit button that shows it is working while its form is in flight. */
export function SubmitButton({
  children,
  className = 'button',
  name,
  value,
}: {
  children: ReactNode;
  className?: string;
  name?: string;
  value?: string;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation();
  const busy = navigation.state === 'submitting' && (name === undefined || navigation.formData?.get(name) === value);
  return (
    <button type="submit" className={className} name={name} value={value} disabled={busy} aria-busy={busy || undefined}>
      {busy ? t('common.actions.saving') : children}
    </button>
  );
}
