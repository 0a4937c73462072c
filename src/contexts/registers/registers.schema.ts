/**
 * Shared pieces of the registers' zod schemas (support, diplomacy, humanitarian): release, money, times,
 * URLs, codes, lists. Dependency-free apart from pure code lists; the web and the CLI use the same.
 */
import { z } from 'zod';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import { TIME_RANGE_MESSAGE, inStoredTimeRange } from '../../platform/time-range.ts';
import { MAX_MONEY, hasAtMostTwoPlaces, isCurrency } from './money.ts';

export const orgCode = z
  .string()
  .length(2, 'must be a two-letter organisation code')
  .transform((s) => s.toUpperCase())
  .refine(isOrgCodeShape, 'must be a two-letter organisation code');

export const tlp = z.enum(TLP_LEVELS);
/** An empty audience would read as none and widen the release (api.md): refused. */
export const audience = z
  .array(orgCode)
  .min(1, 'names no organisation; leave audience out for none')
  .max(64)
  .optional();

/** A date (YYYY-MM-DD, read as midnight UTC) or a date-time with offset; kept as a UTC instant. */
export const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset',
  })
  .refine(inStoredTimeRange, TIME_RANGE_MESSAGE)
  .transform((s) => new Date(s).toISOString());

export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2000, 'must be at most 2000 characters');

export const currency = z
  .string()
  .length(3, 'must be an ISO 4217 currency code such as EUR')
  .refine(isCurrency, 'is not an ISO 4217 currency code in use');

export const money = z.strictObject({
  value: z
    .number()
    .min(0, 'must not be negative')
    .max(MAX_MONEY, `must be at most ${MAX_MONEY}`)
    .refine(hasAtMostTwoPlaces, 'must have at most 2 decimal places (major units)'),
  currency,
});

export const MoneyView = z.object({ value: z.number(), currency: z.string() });

export const IdParams = z.object({ id: z.string().min(1).max(200) });

/** Lists take `limit` (default 50, at most 500) and `cursor` (api.md, Wave 2 contracts). */
export const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
};

export const ReleaseView = { tlp: z.enum(TLP_LEVELS), audience: z.array(z.string()) };
