/** Members take part in every decision; partners share intelligence but never take part in the council. */
export type OrgKind = 'member' | 'partner';
