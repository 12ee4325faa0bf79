import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { deriveKey, keyedHash } from '../../utils/crypto.server.js';
import { writeAudit } from '../audit/write-audit.server.js';

/** The real identity of a person: only ever stored sealed. */
export interface IdentityProfile {
  name: string;
  email: string;
}

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Keys for the identity vault, derived from VAULT_KEY: one to encrypt
 * (AES-256-GCM), one to make email lookups (HMAC-SHA256) so that finding an
 * account by email never needs the plaintext in a column.
 */
export class VaultKeys {
  readonly encryption: Buffer;
  readonly lookup: Buffer;
  /** For rate-limit buckets, so counters never hold an address in clear. */
  readonly rateLimit: Buffer;
  constructor(masterKeyBase64: string) {
    const master = Buffer.from(masterKeyBase64, 'base64');
    if (master.length !== 32) throw new Error('VAULT_KEY must be 32 bytes');
    this.encryption = deriveKey(master, 'vault-encryption');
    this.lookup = deriveKey(master, 'email-lookup');
    this.rateLimit = deriveKey(master, 'rate-limit');
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailLookup(keys: VaultKeys, email: string): string {
  return keyedHash(keys.lookup, normaliseEmail(email));
}

/** "jane.doe@acme.com" → "j•••@acme.com": enough for the inviter to recognise. */
export function emailHint(email: string): string {
  const [local = '', domain = ''] = normaliseEmail(email).split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** nonce || tag || ciphertext; the user id and kind are bound as associated data. */
export function seal(keys: VaultKeys, aad: string, plaintext: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

export function unseal(keys: VaultKeys, aad: string, sealed: Buffer): string {
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, nonce);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

export async function storeIdentityProfile(
  trx: Transaction<Database>,
  keys: VaultKeys,
  userId: string,
  profile: IdentityProfile,
): Promise<void> {
  const sealed = seal(keys, `${userId}:profile`, JSON.stringify(profile));
  await trx
    .insertInto('identity_vault')
    .values({ user_id: userId, kind: 'profile', sealed })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ sealed, updated_at: new Date() }))
    .execute();
}

export type VaultReadPurpose = 'own-settings' | 'send-mail' | 'payout';

/**
 * The only way to read a person's real identity. Every call writes an audit
 * row naming who read whose identity and why, in the same transaction.
 */
export async function readIdentityProfile(
  db: Executor,
  keys: VaultKeys,
  input: { userId: string; readerId: string | null; purpose: VaultReadPurpose },
): Promise<IdentityProfile | undefined> {
  const run = async (trx: Executor) => {
    const row = await trx
      .selectFrom('identity_vault')
      .select('sealed')
      .where('user_id', '=', input.userId)
      .where('kind', '=', 'profile')
      .executeTakeFirst();
    await writeAudit(trx, {
      actorId: input.readerId,
      action: 'vault.read',
      subjectType: 'user',
      subjectId: input.userId,
      after: { kind: 'profile', purpose: input.purpose, found: Boolean(row) },
    });
    if (!row) return undefined;
    return JSON.parse(unseal(keys, `${input.userId}:profile`, row.sealed)) as IdentityProfile;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
