// Shared by the use-cases and the pages (client-safe: no .server).

/** A merge can be undone for this long after it was made. */
export const UNDO_WINDOW_HOURS = 24;

/** The optional public note on the duplicate's timeline (post_status_change.note allows 2,000). */
export const MERGE_NOTE_MAX_LENGTH = 2000;
