// Shared by the use-cases and the forms (client-safe: no .server).
export const COMMENT_MAX_LENGTH = 5000;
/** How long after writing a comment its author may still change it. */
export const COMMENT_EDIT_MINUTES = 15;
