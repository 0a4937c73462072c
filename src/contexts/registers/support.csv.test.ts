import { describe, expect, it } from 'vitest';
import { parseSupportCsv } from './support.csv.ts';

const HEADER = 'recipient,avenue,description,amount,currency,pledgedAt,status,source,sourceGrade,tlp,audience';

describe('support CSV (docs/registers.md columns)', () => {
  it('reads rows into the same inputs as the REST API, quoted fields and audiences included', () => {
    const rows = parseSupportCsv(
      `\uFEFF${HEADER}\nUA,energy,"Transformers, 20 units",1500000.25,EUR,2025-01-10,pledged,https://example.org/a,B2,green,\n` +
        `MD,training,Courses,,,2025-02-01T10:00:00Z,delivered,,,amber,PL;lt\n`,
    );
    expect(rows).toEqual([
      {
        recipient: 'UA',
        avenue: 'energy',
        description: 'Transformers, 20 units',
        amount: { value: 1500000.25, currency: 'EUR' },
        pledgedAt: '2025-01-10T00:00:00.000Z',
        status: 'pledged',
        source: 'https://example.org/a',
        sourceGrade: 'B2',
        tlp: 'green',
      },
      {
        recipient: 'MD',
        avenue: 'training',
        description: 'Courses',
        pledgedAt: '2025-02-01T10:00:00.000Z',
        status: 'delivered',
        tlp: 'amber',
        audience: ['PL', 'LT'],
      },
    ]);
  });

  it('names the line and column of the first bad row', () => {
    const bad = (row: string) => () =>
      parseSupportCsv(`${HEADER}\nUA,energy,ok,1,EUR,2025-01-10,pledged,,,green,\n${row}\n`);
    expect(bad('UA,tanks,x,1,EUR,2025-01-10,pledged,,,green,')).toThrow(/line 3: avenue/);
    expect(bad('UA,energy,x,-1,EUR,2025-01-10,pledged,,,green,')).toThrow(/line 3: amount.value/);
    expect(bad('UA,energy,x,1,ABC,2025-01-10,pledged,,,green,')).toThrow(/line 3: amount.currency/);
    expect(bad('UA,energy,x,1,,2025-01-10,pledged,,,green,')).toThrow(/line 3: amount/);
    expect(bad('UA,energy,x,1,EUR,2025-13-10,pledged,,,green,')).toThrow(/line 3: pledgedAt/);
    expect(() => parseSupportCsv('recipient,colour\nUA,red\n')).toThrow(/unknown column colour/);
    expect(() => parseSupportCsv(`${HEADER}\n"unterminated\n`)).toThrow(/file/);
  });
});
