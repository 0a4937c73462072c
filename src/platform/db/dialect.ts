export type DialectName = 'sqlite' | 'postgres';

/** Column type of an auto-incrementing 64-bit primary key. */
export function serialType(dialect: DialectName): 'integer' | 'bigserial' {
  return dialect === 'sqlite' ? 'integer' : 'bigserial';
}

export function bigintType(dialect: DialectName): 'integer' | 'bigint' {
  return dialect === 'sqlite' ? 'integer' : 'bigint';
}
