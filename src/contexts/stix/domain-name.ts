/**
 * The shape every domain name must have (RFC 1034 section 3.1, RFC 1123 section 2.1): labels of 1 to 63
 * characters separated by single dots, 253 characters at most, one optional trailing dot (the root).
 * Pure, one pass; the characters themselves are left to the callers (IDN conversion, refanging).
 */
export function domainNameProblem(name: string): string | undefined {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n.length === 0 || n.length > 253) return 'must be a domain name of 1 to 253 characters';
  let start = 0;
  for (let i = 0; i <= n.length; i++) {
    if (i < n.length && n.charCodeAt(i) !== 46) continue;
    const len = i - start;
    if (len === 0) return `"${n.slice(0, 60)}" has an empty label (a leading dot or two dots in a row)`;
    if (len > 63) return `"${n.slice(start, start + 20)}…" is a label longer than 63 characters`;
    start = i + 1;
  }
  return undefined;
}
