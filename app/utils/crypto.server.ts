import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** An opaque, random, non-sequential id for URLs and rows: 120 bits, base32. */
export function randomId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(15));
}

/** A secret for a link or a session: 160 bits, base32. */
export function randomSecret(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function sha256Hex(value: string): string {
  return sha256(value).toString('hex');
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Separate keys for separate purposes, all derived from VAULT_KEY. */
export function deriveKey(masterKey: Buffer, purpose: 'vault-encryption' | 'email-lookup' | 'rate-limit'): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `candor:${purpose}`, 32));
}

export function keyedHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}
