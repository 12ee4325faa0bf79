// Shared by the use-case and the form (client-safe: no .server).
export const VOTE_IMPACT_NOTE_MAX_LENGTH = 500;
