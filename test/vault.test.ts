import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdentityProfile } from '../app/domain/identity/vault.server.js';
import { makeUser, type TestApp, createTestApp } from './support/services.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('identity vault', () => {
  it('stores name and email only as ciphertext', async () => {
    const user = await makeUser(app, { email: 'zelda.quartermaine@acme-vault.example', name: 'Zelda Quartermaine' });
    const rows = await sql<{ dump: string }>`SELECT row_to_json(app_user)::text AS dump FROM app_user`.execute(app.services.db);
    const vault = await app.services.db.selectFrom('identity_vault').select('sealed').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const everything = rows.rows.map((row) => row.dump).join('\n') + vault.sealed.toString('latin1');
    expect(everything).not.toContain('Zelda');
    expect(everything).not.toContain('zelda.quartermaine');
    expect(vault.sealed.length).toBeGreaterThan(28);
  });

  it('gives the plaintext only through the audited read, which writes an audit row', async () => {
    const user = await makeUser(app, { email: 'yusuf@acme-vault.example', name: 'Yusuf Example' });
    const before = await app.services.db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('action', '=', 'vault.read').executeTakeFirstOrThrow();
    const profile = await readIdentityProfile(app.services.db, app.services.vaultKeys, { userId: user.id, readerId: user.id, purpose: 'own-settings' });
    expect(profile).toEqual({ name: 'Yusuf Example', email: 'yusuf@acme-vault.example' });
    const audit = await app.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'vault.read').where('subject_id', '=', user.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(user.id);
    expect(JSON.stringify(audit[0])).not.toContain('yusuf@');
    const after = await app.services.db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('action', '=', 'vault.read').executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n + 1);
  });

  it('refuses to open a sealed identity moved to another account', async () => {
    const a = await makeUser(app);
    const b = await makeUser(app);
    const sealedA = await app.services.db.selectFrom('identity_vault').select('sealed').where('user_id', '=', a.id).executeTakeFirstOrThrow();
    await app.services.db.updateTable('identity_vault').set({ sealed: sealedA.sealed }).where('user_id', '=', b.id).execute();
    await expect(
      readIdentityProfile(app.services.db, app.services.vaultKeys, { userId: b.id, readerId: null, purpose: 'payout' }),
    ).rejects.toThrow();
  });
});
