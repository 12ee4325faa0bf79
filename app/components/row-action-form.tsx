import { Form } from '@remix-run/react';
import type { ReactNode } from 'react';

/**
 * A one-button form acting on one row of a list: the hidden fields say which
 * row, the button carries the intent the route's action switches on.
 */
export function RowActionForm({
  intent,
  hidden,
  buttonClassName,
  ariaLabel,
  leading,
  children,
}: {
  intent: string;
  hidden: Record<string, string>;
  buttonClassName: string;
  /** Names the row too: every row's button shows the same text. */
  ariaLabel: string;
  /** Shown before the button, inside the form. */
  leading?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="inline-form">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {leading}
      <button type="submit" name="intent" value={intent} className={buttonClassName} aria-label={ariaLabel}>
        {children}
      </button>
    </Form>
  );
}
