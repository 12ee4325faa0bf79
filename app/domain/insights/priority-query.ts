// The priority view's address: its filters, order and page in the query
// string, read the same way by the page and its CSV export, and written back
// into the page's links. Client-safe.
import { z } from 'zod';
import type { PostType } from '../../../db/schema.js';
import { POST_TYPE_CHOICES } from '../posts/choices.js';
import {
  ORG_GROUPS,
  type OrgGroup,
  PRIORITY_SORTS,
  PRIORITY_STATUS_CHOICES,
  type PrioritySort,
  type PriorityStatus,
  SORT_DIRECTIONS,
  type SortDirection,
} from './choices.js';

export interface PriorityQuery {
  /** As ticked; none means the open ones. */
  statuses: PriorityStatus[];
  type?: PostType;
  area?: string;
  tag?: string;
  org?: OrgGroup;
  sort: PrioritySort;
  dir: SortDirection;
  after?: string;
}

// A bad or stale parameter falls back to "no filter" instead of failing the page.
const PriorityQuerySchema = z.object({
  type: z.enum(POST_TYPE_CHOICES).optional().catch(undefined),
  area: z.string().min(1).max(64).optional().catch(undefined),
  tag: z.string().min(1).max(64).optional().catch(undefined),
  org: z.enum(ORG_GROUPS).optional().catch(undefined),
  sort: z.enum(PRIORITY_SORTS).catch('score'),
  dir: z.enum(SORT_DIRECTIONS).catch('desc'),
  after: z.string().min(1).max(300).optional().catch(undefined),
});

const isPriorityStatus = (value: string): value is PriorityStatus => (PRIORITY_STATUS_CHOICES as readonly string[]).includes(value);

export function parsePriorityQuery(params: URLSearchParams): PriorityQuery {
  const single = Object.fromEntries([...params].filter(([key, value]) => key !== 'status' && value !== ''));
  const statuses = [...new Set(params.getAll('status').filter(isPriorityStatus))];
  return { statuses, ...PriorityQuerySchema.parse(single) };
}

/** The query string for `query` with `changes`, defaults left out; a new filter or order starts at the first page. */
export function priorityQueryString(query: PriorityQuery, changes: Partial<PriorityQuery> = {}): string {
  const next = { ...query, after: undefined, ...changes };
  const search = new URLSearchParams();
  for (const status of next.statuses) search.append('status', status);
  if (next.type) search.set('type', next.type);
  if (next.area) search.set('area', next.area);
  if (next.tag) search.set('tag', next.tag);
  if (next.org) search.set('org', next.org);
  if (next.sort !== 'score') search.set('sort', next.sort);
  if (next.dir !== 'desc') search.set('dir', next.dir);
  if (next.after) search.set('after', next.after);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The use-case's filters for a parsed address. */
export function priorityFilters(query: PriorityQuery) {
  return {
    statuses: query.statuses,
    type: query.type,
    productAreaId: query.area,
    tagId: query.tag,
    orgGroup: query.org,
    sort: query.sort,
    dir: query.dir,
  };
}
