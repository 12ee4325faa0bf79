import type { z } from 'zod';

// Keyset-page cursors: opaque to the browser, base64url JSON of the last
// row's sort values. The page that reads one validates its shape, so a
// tampered or stale link starts from the top instead of failing.

export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The cursor's values when they fit `schema`, else undefined. */
export function decodeCursor<Schema extends z.ZodType>(cursor: string | undefined, schema: Schema): z.output<Schema> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
