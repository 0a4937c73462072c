import { z } from 'zod';

/** A console session as its browser sees it: the CSRF token to echo in X-CSRF-Token on writes. */
export const SessionView = z.object({
  csrfToken: z.string().describe('echo in the X-CSRF-Token header of every write made with the session cookie'),
  expiresAt: z.string().describe('when the session ends at the latest (its token may end it sooner)'),
});
export type SessionView = z.infer<typeof SessionView>;
