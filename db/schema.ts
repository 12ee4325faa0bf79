import type { ColumnType, Generated } from 'kysely';

/** A timestamp the database fills in unless given. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Filled in on insert unless given; set explicitly on update. */
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export const VALUE_TIERS = ['strategic', 'major', 'standard'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

/** Roles beyond plain membership; see DESIGN.md "People". */
export const ROLES = [
  'org_admin',
  'triager',
  'product_admin',
  'finance_approver',
  'finance_admin',
  'admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export interface OrgTable {
  id: string;
  name: string;
  value_tier: ValueTier;
  created_at: CreatedAt;
}

export interface OrgDomainTable {
  domain: string;
  org_id: string;
  created_at: CreatedAt;
}

export interface AppUserTable {
  id: string;
  email_lookup: string;
  password_hash: string;
  pseudonym: string;
  pseudonym_zh: string;
  org_id: string | null;
  staff_display_name: string | null;
  locale: Locale | null;
  email_verified_at: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface UserRoleTable {
  user_id: string;
  role: Role;
  granted_by: string | null;
  granted_at: CreatedAt;
}

export interface IdentityVaultTable {
  user_id: string;
  kind: 'profile' | 'payout';
  sealed: Buffer;
  key_version: Generated<number>;
  updated_at: UpdatedAt;
}

export interface UserSessionTable {
  id: string;
  secret_hash: Buffer;
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface InviteTable {
  id: string;
  token_hash: string;
  org_id: string | null;
  roles: Role[];
  email_lookup: string;
  email_hint: string;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  accepted_at: Timestamp | null;
}

export interface EmailTokenTable {
  id: string;
  token_hash: string;
  user_id: string;
  purpose: 'verify' | 'reset';
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SettingTable {
  key: string;
  value: unknown;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: unknown;
  after: unknown;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: string;
  topic: string;
  payload: unknown;
  created_at: CreatedAt;
  claimed_until: Timestamp | null;
  enqueued_at: Timestamp | null;
}

export interface DevMailTable {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  created_at: CreatedAt;
}

export interface RateLimitTable {
  bucket: string;
  hits: number;
  window_ends_at: Timestamp;
}

export const POST_TYPES = ['complaint', 'request'] as const;
export type PostType = (typeof POST_TYPES)[number];

export const POST_STATUSES = ['open', 'under_review', 'planned', 'in_progress', 'shipped', 'declined', 'merged'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export interface ProductAreaTable {
  id: string;
  slug: string;
  name_en: string;
  name_zh: string;
  position: Generated<number>;
  archived_at: Timestamp | null;
}

export interface PostTable {
  id: string;
  author_id: string;
  type: PostType;
  product_area_id: string;
  title: string;
  body: string;
  body_html: string;
  impact_hours_per_week: number | null;
  impact_sites: number | null;
  impact_note: string | null;
  status: Generated<PostStatus>;
  merged_into_id: string | null;
  triaged_at: Timestamp | null;
  hidden_at: Timestamp | null;
  hidden_reason: string | null;
  submission_key: string;
  vote_count: Generated<number>;
  weighted_score: Generated<number>;
  org_count: Generated<number>;
  comment_count: Generated<number>;
  hot_rank: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PostRevisionTable {
  id: string;
  post_id: string;
  title: string;
  body: string;
  impact_hours_per_week: number | null;
  impact_sites: number | null;
  impact_note: string | null;
  replaced_at: CreatedAt;
}

export interface VoteTable {
  post_id: string;
  voter_id: string;
  impact_note: string | null;
  created_at: CreatedAt;
}

export interface CommentTable {
  id: string;
  post_id: string;
  author_id: string;
  parent_id: string | null;
  body: string;
  body_html: string;
  is_official: Generated<boolean>;
  created_at: CreatedAt;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
  hidden_at: Timestamp | null;
  hidden_reason: string | null;
}

export interface FollowTable {
  post_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface Database {
  org: OrgTable;
  org_domain: OrgDomainTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  identity_vault: IdentityVaultTable;
  user_session: UserSessionTable;
  invite: InviteTable;
  email_token: EmailTokenTable;
  setting: SettingTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  dev_mail: DevMailTable;
  rate_limit_window: RateLimitTable;
  product_area: ProductAreaTable;
  post: PostTable;
  post_revision: PostRevisionTable;
  vote: VoteTable;
  comment: CommentTable;
  follow: FollowTable;
}

