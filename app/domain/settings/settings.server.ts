import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { LOCALES } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';

type Executor = Kysely<Database> | Transaction<Database>;

const MinorSetting = z.string().regex(/^\d{1,15}$/, 'an amount in minor units');

/** Every setting with its type and default; the settings table holds overrides. */
export const SettingsSchema = z.object({
  anonymityThreshold: z.coerce.number().int().min(2).max(1000).default(5),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY')
    .default('CNY'),
  defaultLocale: z.enum(LOCALES).default('en'),
  sessionIdleMinutes: z.coerce.number().int().min(5).max(60 * 24 * 90).default(60 * 24 * 7),
  sessionAbsoluteDays: z.coerce.number().int().min(1).max(365).default(30),
  inviteExpiryDays: z.coerce.number().int().min(1).max(90).default(14),
  // How much one vote weighs in the priority score, by the voter's org tier.
  tierWeightStrategic: z.coerce.number().int().min(0).max(100).default(5),
  tierWeightMajor: z.coerce.number().int().min(0).max(100).default(3),
  tierWeightStandard: z.coerce.number().int().min(0).max(100).default(1),
  postsPerHour: z.coerce.number().int().min(1).max(1000).default(10),
  commentsPerHour: z.coerce.number().int().min(1).max(1000).default(60),
  // A post untriaged for longer is flagged and lands in its triagers' daily digest.
  triageSlaHours: z.coerce.number().int().min(1).max(24 * 30).default(48),
  // Money settings are minor units of the policy currency, kept as digit
  // strings: JSON has no bigint and money is never a float.
  twoApproverThresholdMinor: MinorSetting.default('5000000'),
  perPersonCapMinor: MinorSetting.default('20000000'),
  lowBalanceThresholdMinor: MinorSetting.default('10000000'),
  // Withheld from each cash reward (e.g. 20% for incidental income), in percent.
  withholdingPercent: z.coerce.number().int().min(0).max(60).default(20),
  // Work mailboxes are read by others: by default a notification mail's subject
  // names neither the vendor nor the post.
  mailSubjectsNeutral: z
    .preprocess((value) => (value === 'true' || value === 'on' ? true : value === 'false' ? false : value), z.boolean())
    .default(true),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export async function getSettings(db: Executor): Promise<Settings> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).execute();
  const stored = Object.fromEntries(rows.map((row) => [row.key, row.value]));
  // A stale or unknown stored value falls back to its default instead of
  // breaking every page.
  const parsed = SettingsSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const defaults = SettingsSchema.parse({});
  for (const key of Object.keys(defaults) as SettingKey[]) {
    const one = SettingsSchema.shape[key].safeParse(stored[key]);
    if (one.success) (defaults as Record<string, unknown>)[key] = one.data;
  }
  return defaults;
}

export const UpdateSettingsSchema = SettingsSchema.partial();

/** Changes settings; one audit row per changed key. */
export async function updateSettings(
  db: Kysely<Database>,
  actorId: string,
  changes: Partial<Settings>,
): Promise<Settings> {
  const valid = UpdateSettingsSchema.parse(changes);
  return db.transaction().execute(async (trx) => {
    const before = await getSettings(trx);
    for (const [key, value] of Object.entries(valid)) {
      if (value === undefined || before[key as SettingKey] === value) continue;
      await trx
        .insertInto('setting')
        .values({ key, value: JSON.stringify(value), updated_by: actorId })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_by: actorId, updated_at: new Date() }),
        )
        .execute();
      await writeAudit(trx, {
        actorId,
        action: 'setting.update',
        subjectType: 'setting',
        subjectId: key,
        before: { [key]: before[key as SettingKey] },
        after: { [key]: value },
      });
    }
    return getSettings(trx);
  });
}
