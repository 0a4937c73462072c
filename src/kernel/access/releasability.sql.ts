import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Reader } from './releasability.ts';

/**
 * The same rule as canRead, compiled to SQL for lists and counts, over the columns
 * `author`, `tlp`, `audience` (",PL,LT," or "") of `table`. The org code is bound as a parameter;
 * the audience test is LIKE '%,PL,%' where the code is two validated capital letters, so the
 * pattern never holds a user-controlled wildcard.
 */
export function releasableTo(reader: Reader, table?: string): RawBuilder<SqlBool> {
  const col = (c: 'author' | 'tlp' | 'audience') => sql.ref(table ? `${table}.${c}` : c);
  switch (reader.kind) {
    case 'system':
      return sql<SqlBool>`1 = 1`;
    case 'anonymous':
      return sql<SqlBool>`${col('tlp')} = 'clear'`;
    case 'org': {
      const needle = `%,${reader.org},%`;
      const noAudienceLevels = reader.orgKind === 'member' ? sql`('green', 'amber')` : sql`('green')`;
      return sql<SqlBool>`(${col('tlp')} = 'clear' or ${col('author')} = ${reader.org} or (${col('audience')} = '' and ${col('tlp')} in ${noAudienceLevels}) or (${col('audience')} <> '' and ${col('audience')} like ${needle}))`;
    }
  }
}
