// The choices the insights pages offer. Client-safe (no db/ import at run
// time), so the route's browser bundle may use the lists.
import type { PostStatus, ValueTier } from '../../../db/schema.js';

/**
 * Who an org breakdown or filter may name: the value tiers (of orgs with at
 * least k active members) and everyone else together as 'other'. Never an
 * org's name (docs/decisions, "Org breakdowns").
 */
export const ORG_GROUPS = ['strategic', 'major', 'standard', 'other'] as const satisfies readonly (ValueTier | 'other')[];
export type OrgGroup = (typeof ORG_GROUPS)[number];

/** The statuses the priority view may show: never 'merged' (the duplicate's votes live on its target). */
export const PRIORITY_STATUS_CHOICES = [
  'open',
  'under_review',
  'planned',
  'in_progress',
  'shipped',
  'declined',
] as const satisfies readonly PostStatus[];
export type PriorityStatus = (typeof PRIORITY_STATUS_CHOICES)[number];

/** Still to be decided or done: the priority view's default and the dashboard's "open demand". */
export const OPEN_STATUSES = ['open', 'under_review', 'planned', 'in_progress'] as const satisfies readonly PriorityStatus[];

/** Each numeric column of the priority view, sortable both ways. */
export const PRIORITY_SORTS = ['score', 'votes', 'orgs', 'hours', 'sites', 'age'] as const;
export type PrioritySort = (typeof PRIORITY_SORTS)[number];

export const SORT_DIRECTIONS = ['desc', 'asc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** The windows the dashboard's inflow chart offers, in days. */
export const INFLOW_WINDOWS = [30, 90] as const;
export type InflowWindow = (typeof INFLOW_WINDOWS)[number];

/** How many weeks the dashboard's weekly charts cover, this week included. */
export const DASHBOARD_WEEKS = 12;

/** The CSV export's row limit; the page says so when more posts match. */
export const PRIORITY_EXPORT_MAX_ROWS = 10_000;
