import { z } from 'zod';

/**
 * The process configuration, read once at start-up (web, worker and the
 * embedded launcher) and validated here. A missing or malformed variable stops
 * the process with one line naming it; see README "Configuration".
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  // Namespaces the Redis keys, so several deployments (or test runs) can share one Redis.
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'must be 1–40 characters of a-z, 0-9, _ and -')
    .default('candor'),
  PUBLIC_URL: z.url({ message: 'must be the absolute URL users reach the portal at' }),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  VAULT_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, {
      message: 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)',
    }),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Candor <no-reply@candor.localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  // How approved rewards are paid: a bank file finance exports (default), or a
  // payment provider reached by signed webhooks (docs/decisions/0014-payouts.md).
  PAYOUT_ADAPTER: z.enum(['bank_batch', 'webhook']).default('bank_batch'),
  PAYOUT_WEBHOOK_URL: z.url({ message: 'must be the payment provider’s absolute URL' }).optional(),
  PAYOUT_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').optional(),
  // The account bank files (pain.001) pay from. Optional at start-up, since a
  // portal that pays by webhook or not at all never needs them; downloading a
  // pain.001 file without them is refused with a message naming them.
  PAYOUT_DEBTOR_NAME: z.string().trim().min(1).max(140, 'must be at most 140 characters').optional(),
  PAYOUT_DEBTOR_ACCOUNT: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{6,34}$/, 'must be an IBAN or account number of 6–34 letters and digits'))
    .optional(),
  PAYOUT_DEBTOR_BIC: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC of 8 or 11 characters')
    .optional(),
}).superRefine((env, context) => {
  if (env.PAYOUT_ADAPTER !== 'webhook') return;
  for (const name of ['PAYOUT_WEBHOOK_URL', 'PAYOUT_WEBHOOK_SECRET'] as const) {
    if (!env[name]) context.addIssue({ code: 'custom', path: [name], message: 'is missing (needed when PAYOUT_ADAPTER=webhook)' });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError whose message is one line. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
    return `${name} ${missing ? 'is missing' : issue.message}`;
  });
  throw new ConfigError(`Configuration error: ${problems.join('; ')}`);
}

/** For entry points: parse or print the one line and exit non-zero. */
export function loadEnvOrExit(source: Record<string, string | undefined> = process.env): Env {
  try {
    return parseEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
