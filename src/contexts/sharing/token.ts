/** API tokens: 256 random bits, shown once, stored only as a SHA-256 hash. */
export const TOKEN_PREFIX = 'bwk_';

export function tokenShapeOk(token: string): boolean {
  // "bwk_" + 43 base64url characters; checked without a regex.
  if (token.length !== TOKEN_PREFIX.length + 43 || !token.startsWith(TOKEN_PREFIX)) return false;
  for (let i = TOKEN_PREFIX.length; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}
