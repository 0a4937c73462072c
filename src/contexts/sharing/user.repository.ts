import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { isRole, type Role } from '../../kernel/access/actor.ts';
import type { OrgKind } from './organisations.ts';

export interface UserRow {
  id: string;
  name: string;
  org: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

export interface TokenOwner extends UserRow {
  orgKind: OrgKind;
  expiresAt: string | null;
}

export class UserRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertWithToken(user: UserRow, tokenHash: string, expiresAt: string | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id: user.id,
          name: user.name,
          org: user.org,
          role: user.role,
          created_at: user.createdAt,
          disabled: 0,
        })
        .execute();
      await trx
        .insertInto('tokens')
        .values({ hash: tokenHash, user_id: user.id, created_at: user.createdAt, expires_at: expiresAt, revoked: 0 })
        .execute();
    });
  }

  async addToken(userId: string, tokenHash: string, createdAt: string, expiresAt: string | null): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({ hash: tokenHash, user_id: userId, created_at: createdAt, expires_at: expiresAt, revoked: 0 })
      .execute();
  }

  async revokeTokensOf(userId: string): Promise<void> {
    await this.db.updateTable('tokens').set({ revoked: 1 }).where('user_id', '=', userId).execute();
  }

  async byName(name: string): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toUser(r);
  }

  async byId(id: string): Promise<UserRow | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async listByOrg(org: string): Promise<UserRow[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('org', '=', org).orderBy('name').execute();
    return rows.map(toUser);
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async ownerOfToken(hash: string): Promise<TokenOwner | undefined> {
    const r = await this.db
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .innerJoin('organisations', 'organisations.code', 'users.org')
      .select([
        'users.id',
        'users.name',
        'users.org',
        'users.role',
        'users.created_at',
        'users.disabled',
        'organisations.kind as orgKind',
        'tokens.expires_at',
        'tokens.revoked',
      ])
      .where('tokens.hash', '=', hash)
      .executeTakeFirst();
    if (!r || r.revoked === 1) return undefined;
    return { ...toUser(r), orgKind: r.orgKind, expiresAt: r.expires_at };
  }
}

function toUser(r: {
  id: string;
  name: string;
  org: string;
  role: string;
  created_at: string;
  disabled: number;
}): UserRow {
  return {
    id: r.id,
    name: r.name,
    org: r.org,
    role: isRole(r.role) ? r.role : 'analyst',
    createdAt: r.created_at,
    disabled: r.disabled === 1,
  };
}
