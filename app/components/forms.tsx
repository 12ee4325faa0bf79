import { type FieldMetadata, getInputProps } from '@conform-to/react';
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
  const { t } = useTranslation();
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
      {hint ? (
        <p className="field__hint" id={meta.descriptionId}>
          {hint}
        </p>
      ) : null}
      {meta.errors ? (
        <p className="field__error" id={meta.errorId} role="alert">
          {meta.errors.map((error) => translateMessage(t, error)).join(' ')}
        </p>
      ) : null}
    </div>
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
