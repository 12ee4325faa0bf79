// The tabs of the nominations queue. Client-safe: the queue page's tabs and
// its loader both read it.
import type { NominationStatus } from '../../../db/schema.js';

export const NOMINATION_STATUS_VIEWS = ['pending', 'approved', 'rejected', 'cancelled'] as const satisfies readonly NominationStatus[];

/** The nomination statuses, plus rewards flagged after payment started (a rollback finance must look at). */
export const NOMINATION_VIEWS = [...NOMINATION_STATUS_VIEWS, 'flagged'] as const;
