import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';

export interface SessionRow {
  idHash: string;
  tokenHash: string;
  userId: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

/** Console sessions (migration 038): stored by the hash of their id, never the id itself. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insert(s: SessionRow): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: s.idHash,
        token_hash: s.tokenHash,
        user_id: s.userId,
        csrf: s.csrf,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  async byIdHash(idHash: string): Promise<SessionRow | undefined> {
    const r = await this.db.selectFrom('console_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return (
      r && {
        idHash: r.id_hash,
        tokenHash: r.token_hash,
        userId: r.user_id,
        csrf: r.csrf,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
      }
    );
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Drops the sessions that ended before `now` (called as new ones are made; the table stays small). */
  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
  }

  async deleteOfUser(userId: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('user_id', '=', userId).execute();
  }
}
