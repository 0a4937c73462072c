import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DomainError, forbidden, validation } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { UserActor, Role } from '../../kernel/access/actor.ts';
import { isOrgCodeShape } from './organisations.ts';
import type { OrganisationRepository } from './organisation.repository.ts';
import { TOKEN_PREFIX, tokenShapeOk } from './token.ts';
import type { UserRepository, UserRow } from './user.repository.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export interface CreateUserInput {
  member: string;
  name: string;
  role?: Role;
  expiresAt?: string | null;
}

/** Tokens resolved in the last few seconds, so hot read paths skip a database round trip. */
const AUTH_CACHE_MS = 5_000;
const AUTH_CACHE_MAX = 10_000;

export class UserService {
  private readonly cache = new Map<string, { actor: UserActor; until: number; expiresAt: string | null }>();
  private readonly revokedListeners = new Set<(userId: string) => void>();

  constructor(
    private readonly users: UserRepository,
    private readonly orgs: OrganisationRepository,
    private readonly clock: Clock,
  ) {}

  /** Creates a user of an existing organisation and returns it with a new token (shown once). */
  async create(input: CreateUserInput): Promise<{ user: UserRow; token: string }> {
    const code = input.member.toUpperCase();
    if (!isOrgCodeShape(code)) throw validation('member', `"${input.member}" is not a two-letter organisation code`);
    const org = await this.orgs.get(code);
    if (!org) throw validation('member', `no organisation with code ${code}; see GET /api/v1/members`);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw validation('name', 'must be 1 to 100 characters');
    if (await this.users.byName(name))
      throw new DomainError('conflict', `a user named "${name}" already exists`, 'name');
    const token = newToken();
    const user: UserRow = {
      id: randomUUID(),
      name,
      org: code,
      role: input.role ?? 'analyst',
      createdAt: this.clock.now().toISOString(),
      disabled: false,
    };
    await this.users.insertWithToken(user, hashToken(token), input.expiresAt ?? null);
    return { user, token };
  }

  /**
   * Resolves a bearer token to the acting user, or undefined when it is unknown, revoked or expired.
   * Answers from a cache of a few seconds (AUTH_CACHE_MS) unless `fresh`: long-lived uses (live streams)
   * check again with `fresh` so that a revocation elsewhere reaches them within that window.
   */
  async authenticate(token: string, opts: { fresh?: boolean } = {}): Promise<UserActor | undefined> {
    if (!tokenShapeOk(token)) return undefined;
    const hash = hashToken(token);
    const now = this.clock.now();
    const hit = opts.fresh ? undefined : this.cache.get(hash);
    if (hit && hit.until > now.getTime() && !(hit.expiresAt && hit.expiresAt <= now.toISOString())) return hit.actor;
    const owner = await this.users.ownerOfToken(hash);
    if (!owner || owner.disabled || (owner.expiresAt && owner.expiresAt <= now.toISOString())) {
      this.cache.delete(hash);
      return undefined;
    }
    const actor: UserActor = {
      kind: 'user',
      userId: owner.id,
      userName: owner.name,
      org: owner.org,
      orgKind: owner.orgKind,
      role: owner.role,
    };
    if (this.cache.size >= AUTH_CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { actor, until: now.getTime() + AUTH_CACHE_MS, expiresAt: owner.expiresAt });
    return actor;
  }

  /** Calls `fn` with the id of a user whose tokens were revoked by this process (streams end at once). */
  onRevoked(fn: (userId: string) => void): () => void {
    this.revokedListeners.add(fn);
    return () => this.revokedListeners.delete(fn);
  }

  private forgetUser(userId: string): void {
    for (const [k, v] of this.cache) if (v.actor.userId === userId) this.cache.delete(k);
  }

  async createForAdmin(actor: UserActor, name: string, role: Role): Promise<{ user: UserRow; token: string }> {
    if (actor.role !== 'admin') throw forbidden('only admins create users');
    // Operators see every organisation's activity (/metrics) and set up peers: they are made on the node
    // (bulwark user add --role operator), never by one organisation's admin over the API.
    if (role === 'operator')
      throw new DomainError(
        'forbidden',
        'role: operators are created on the node with bulwark user add --role operator',
        'role',
      );
    return this.create({ member: actor.org, name, role });
  }

  /** Admins manage the users of their own organisation only. */
  async listForAdmin(actor: UserActor): Promise<UserRow[]> {
    if (actor.role !== 'admin') throw forbidden('only admins list users');
    return this.users.listByOrg(actor.org);
  }

  async issueToken(actor: UserActor, userId: string): Promise<string> {
    const target = await this.checkAdminOver(actor, userId);
    // A new token for an operator would make the admin one: operators get their tokens on the node.
    if (target.role === 'operator')
      throw forbidden("an operator's tokens are issued on the node (bulwark user add); an admin may only revoke them");
    const token = newToken();
    await this.users.addToken(target.id, hashToken(token), this.clock.now().toISOString(), null);
    return token;
  }

  async revokeTokens(actor: UserActor, userId: string): Promise<void> {
    const target = await this.checkAdminOver(actor, userId);
    await this.users.revokeTokensOf(target.id);
    this.forgetUser(target.id);
    for (const fn of this.revokedListeners) fn(target.id);
  }

  private async checkAdminOver(actor: UserActor, userId: string): Promise<UserRow> {
    if (actor.role !== 'admin') throw forbidden('only admins manage users');
    const target = await this.users.byId(userId);
    if (!target || target.org !== actor.org) throw new DomainError('not-found', 'user not found');
    return target;
  }
}
