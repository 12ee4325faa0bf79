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

export const REWARD_MODES = ['member', 'org', 'recognition'] as const;
export type RewardMode = (typeof REWARD_MODES)[number];

export interface OrgTable {
  id: string;
  name: string;
  value_tier: ValueTier;
  created_at: CreatedAt;
  /** How the org's people may be rewarded; recognition only until its org admin consents to cash. */
  reward_mode: Generated<RewardMode>;
  reward_mode_set_by: string | null;
  reward_mode_set_at: Timestamp | null;
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
  hall_of_fame_opt_out: Generated<boolean>;
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
  /** Payout details only: the last four characters of the account, for "•••• 1234". */
  last4: string | null;
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
  processed_at: Timestamp | null;
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
  hidden_by: string | null;
  submission_key: string;
  vote_count: Generated<number>;
  weighted_score: Generated<number>;
  org_count: Generated<number>;
  comment_count: Generated<number>;
  hot_rank: number;
  assignee_id: string | null;
  /** Bumped by every triage edit; an edit names the version it started from. */
  version: Generated<number>;
  status_changed_at: Timestamp | null;
  sla_flagged_at: Timestamp | null;
  roadmap_item_id: string | null;
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
  hidden_by: string | null;
}

export interface FollowTable {
  post_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export const NOTIFICATION_KINDS = [
  'reply',
  'comment',
  'status_changed',
  'post_hidden',
  'post_restored',
  'comment_hidden',
  'comment_restored',
  'post_merged',
  'reward_approved',
  'reward_paid',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: NotificationKind;
  post_id: string | null;
  comment_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  source_key: string;
  created_at: CreatedAt;
  read_at: Timestamp | null;
  mailed_at: Timestamp | null;
}

export interface MailPreferenceTable {
  user_id: string;
  replies: Generated<boolean>;
  status_changes: Generated<boolean>;
  unsubscribe_token: string;
  updated_at: UpdatedAt;
}

export interface NotificationMailLogTable {
  user_id: string;
  post_id: string;
  last_mailed_at: Timestamp;
}

export const REPORT_REASONS = ['spam', 'abuse', 'identifying', 'off_topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface ReportTable {
  id: string;
  case_id: string;
  reporter_id: string;
  reason: ReportReason;
  note: string | null;
  created_at: CreatedAt;
}

export interface ModerationCaseTable {
  id: string;
  subject_type: 'post' | 'comment';
  post_id: string;
  comment_id: string | null;
  report_count: Generated<number>;
  first_reported_at: CreatedAt;
  last_reported_at: UpdatedAt;
  resolution: 'hidden' | 'dismissed' | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  resolution_note: string | null;
}

export const TAG_COLORS = ['slate', 'blue', 'green', 'amber', 'red', 'violet', 'teal', 'pink'] as const;
export type TagColor = (typeof TAG_COLORS)[number];

export interface TagTable {
  id: string;
  slug: string;
  name_en: string;
  name_zh: string;
  color: Generated<TagColor>;
  created_at: CreatedAt;
  archived_at: Timestamp | null;
}

export interface PostTagTable {
  post_id: string;
  tag_id: string;
}

export const ROADMAP_STATUSES = ['planned', 'in_progress', 'shipped'] as const;
export type RoadmapStatus = (typeof ROADMAP_STATUSES)[number];

export interface RoadmapItemTable {
  id: string;
  title: string;
  description: Generated<string>;
  description_html: Generated<string>;
  status: Generated<RoadmapStatus>;
  position: Generated<number>;
  version: Generated<number>;
  shipped_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PostStatusChangeTable {
  id: string;
  post_id: string;
  from_status: PostStatus;
  to_status: PostStatus;
  actor_id: string | null;
  note: string | null;
  created_at: CreatedAt;
}

export interface PostMergeTable {
  id: string;
  source_post_id: string;
  target_post_id: string;
  source_status_before: PostStatus;
  source_triaged_at_before: Timestamp | null;
  merged_by: string;
  merged_at: CreatedAt;
  undone_by: string | null;
  undone_at: Timestamp | null;
}

export interface PostMergeVoteTable {
  merge_id: string;
  voter_id: string;
  impact_note: string | null;
  voted_at: Timestamp;
  already_on_target: boolean;
}

export interface PostMergeFollowTable {
  merge_id: string;
  user_id: string;
  followed_at: Timestamp;
  already_on_target: boolean;
}

export interface PostCoauthorTable {
  post_id: string;
  user_id: string;
  merge_id: string;
  authored_at: Timestamp;
  created_at: CreatedAt;
}

export interface TriageDigestTable {
  user_id: string;
  sent_on: ColumnType<string, string, string>;
  post_count: number;
}

/** bigint minor units: read as a string (never a JS number), written as string or bigint. */
type Minor = ColumnType<string, string | bigint, string | bigint>;

export interface PoolTable {
  id: string;
  name: string;
  currency: string;
  budget_minor: Minor;
  period_start: ColumnType<string, string, string>;
  period_end: ColumnType<string, string, string>;
  closed_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
}

export const LEDGER_ACCOUNT_KINDS = [
  'funding',
  'pool_available',
  'pool_reserved',
  'payee_payable',
  'withholding_payable',
  'paid_out',
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export interface LedgerAccountTable {
  id: string;
  pool_id: string | null;
  kind: LedgerAccountKind;
  currency: string;
  balance_minor: ColumnType<string, never, never>;
  may_go_negative: Generated<boolean>;
}

export const LEDGER_TRANSACTION_KINDS = [
  'top_up',
  'reserve',
  'release',
  'debit',
  'settle',
  'reverse_debit',
  'reverse_settle',
  'close',
] as const;
export type LedgerTransactionKind = (typeof LEDGER_TRANSACTION_KINDS)[number];

export interface LedgerTransactionTable {
  id: string;
  kind: LedgerTransactionKind;
  idempotency_key: string;
  pool_id: string | null;
  memo: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface LedgerEntryTable {
  id: Generated<string>;
  transaction_id: string;
  account_id: string;
  currency: string;
  amount_minor: Minor;
  created_at: CreatedAt;
}

export const REWARD_TRIGGERS = ['complaint_fixed', 'request_adopted', 'request_shipped'] as const;
export type RewardTrigger = (typeof REWARD_TRIGGERS)[number];

export interface RewardPolicyTable {
  id: string;
  version: number;
  rules: ColumnType<unknown, string, never>;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export type NominationStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface NominationTable {
  id: string;
  post_id: string;
  trigger: RewardTrigger;
  policy_id: string;
  pool_id: string | null;
  currency: string;
  computed_minor: Minor;
  amount_minor: Minor;
  impact_percent: number;
  explanation: ColumnType<unknown, string, string>;
  status: Generated<NominationStatus>;
  proposed_by: string | null;
  round: Generated<number>;
  approvals_required: Generated<number>;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NominationAdjustmentTable {
  id: string;
  nomination_id: string;
  actor_id: string;
  from_minor: Minor;
  to_minor: Minor;
  reason: string;
  created_at: CreatedAt;
}

export type RewardStatus = 'nominated' | 'approved' | 'paying' | 'paid' | 'returned' | 'rejected' | 'cancelled' | 'recognised';

export interface RewardTable {
  id: string;
  nomination_id: string;
  beneficiary_id: string;
  role: 'author' | 'coauthor';
  currency: string;
  gross_minor: Minor;
  withheld_minor: Generated<string>;
  net_minor: Generated<string>;
  payout_mode: RewardMode | null;
  status: Generated<RewardStatus>;
  flagged_at: Timestamp | null;
  flag_reason: string | null;
  approved_at: Timestamp | null;
  paid_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NominationDecisionTable {
  id: string;
  nomination_id: string;
  approver_id: string;
  round: number;
  decision: 'approve' | 'reject';
  reason: string | null;
  created_at: CreatedAt;
}

export interface OrgPayoutVaultTable {
  org_id: string;
  sealed: Buffer;
  last4: string;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export type PaymentBatchStatus = 'open' | 'exported' | 'sent' | 'reconciled';

export interface PaymentBatchTable {
  id: string;
  currency: string;
  status: Generated<PaymentBatchStatus>;
  created_at: CreatedAt;
  exported_at: Timestamp | null;
  exported_by: string | null;
  sent_at: Timestamp | null;
  sent_by: string | null;
  reconciled_at: Timestamp | null;
}

export const PAYOUT_ADAPTERS = ['bank_batch', 'webhook'] as const;
export type PayoutAdapterName = (typeof PAYOUT_ADAPTERS)[number];
export type PaymentStatus = 'pending' | 'debited' | 'submitted' | 'paid' | 'returned' | 'failed';

export interface PaymentTable {
  id: string;
  reward_id: string;
  idempotency_key: string;
  adapter: PayoutAdapterName;
  status: Generated<PaymentStatus>;
  pool_id: string;
  currency: string;
  gross_minor: Minor;
  withheld_minor: Minor;
  net_minor: Minor;
  payee_kind: 'member' | 'org';
  batch_id: string | null;
  provider_reference: string | null;
  failure_reason: string | null;
  created_at: CreatedAt;
  debited_at: Timestamp | null;
  submitted_at: Timestamp | null;
  paid_at: Timestamp | null;
  returned_at: Timestamp | null;
  updated_at: UpdatedAt;
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
  notification: NotificationTable;
  mail_preference: MailPreferenceTable;
  notification_mail_log: NotificationMailLogTable;
  report: ReportTable;
  moderation_case: ModerationCaseTable;
  tag: TagTable;
  post_tag: PostTagTable;
  roadmap_item: RoadmapItemTable;
  post_status_change: PostStatusChangeTable;
  post_merge: PostMergeTable;
  post_merge_vote: PostMergeVoteTable;
  post_merge_follow: PostMergeFollowTable;
  post_coauthor: PostCoauthorTable;
  triage_digest: TriageDigestTable;
  pool: PoolTable;
  ledger_account: LedgerAccountTable;
  ledger_transaction: LedgerTransactionTable;
  ledger_entry: LedgerEntryTable;
  reward_policy: RewardPolicyTable;
  nomination: NominationTable;
  nomination_adjustment: NominationAdjustmentTable;
  reward: RewardTable;
  nomination_decision: NominationDecisionTable;
  org_payout_vault: OrgPayoutVaultTable;
  payment_batch: PaymentBatchTable;
  payment: PaymentTable;
}

