import { useTranslation } from 'react-i18next';

// Times are written in UTC so the server's render and the browser's hydration
// print the same text whatever zone either sits in.

/** A day in the reader's language, such as "Mar 12, 2025". */
export function UtcDate({ value }: { value: Date }) {
  const { i18n } = useTranslation();
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()}>
      {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date)}
    </time>
  );
}

/** A moment to the second, marked UTC. */
export function UtcDateTime({ value }: { value: Date }) {
  const { i18n } = useTranslation();
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()}>
      {`${new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(date)} UTC`}
    </time>
  );
}
