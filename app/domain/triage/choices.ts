// Client-safe choices for the triage pages (routes never import db/).

/** Whose posts the inbox lists. */
export const TRIAGE_ASSIGNEE_FILTERS = ['anyone', 'mine', 'unassigned'] as const;
export type TriageAssigneeFilter = (typeof TRIAGE_ASSIGNEE_FILTERS)[number];

/** How many posts one bulk action may touch: a page of the inbox and then some. */
export const BULK_MAX_POSTS = 100;
