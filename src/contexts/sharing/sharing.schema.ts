import { z } from 'zod';
import { ROLES } from '../../kernel/access/actor.ts';

/** The wire form of members, the signed-in user and admin user management (GET /members, /me, /admin/users). */
export const MemberView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['member', 'partner']),
  joined: z.string().nullable(),
});
export type Member = z.infer<typeof MemberView>;

export const MeView = z.object({
  user: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  organisation: MemberView,
});
export type Me = z.infer<typeof MeView>;

export const UserView = z.object({
  id: z.string(),
  name: z.string(),
  org: z.string(),
  role: z.string(),
  createdAt: z.string(),
  disabled: z.boolean(),
});
export type AdminUser = z.infer<typeof UserView>;

export const CreateUserBody = z.object({
  name: z.string().min(1).max(100),
  role: z
    .enum(ROLES as ['analyst', 'admin', 'operator'])
    .default('analyst')
    .describe('operator: refused here (403); operators are created on the node'),
});
export const UserIdParams = z.object({ id: z.string().max(64) });
export const CreatedUserView = z.object({ user: UserView, token: z.string() });
export const TokenView = z.object({ token: z.string() });
