import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { fixtureMessages } from '../../test/helpers/fixture-messages.js';
import { tweetColumns, USER_COLUMNS } from './columns.js';
import { CSV_STRINGIFY_OPTIONS, csvHeader, csvRecord } from './csv-record.js';
import { tweetRow } from './tweet-row.js';
import { userRow } from './user-row.js';

const reference = (cells: readonly string[]): string => stringify([[...cells]], CSV_STRINGIFY_OPTIONS);

describe('csvRecord()', () => {
  const cases: Array<[name: string, cells: string[], expected: string]> = [
    ['plain cells', ['1', 'a', 'b c'], '1,a,b c\n'],
    ['empty cells stay unquoted', ['', 'x', ''], ',x,\n'],
    ['a comma is quoted', ['a,b'], '"a,b"\n'],
    ['a quote is doubled and quoted', ['say "hi"'], '"say ""hi"""\n'],
    ['a lone \\r is quoted', ['a\rb'], '"a\rb"\n'],
    ['a \\n is quoted', ['a\nb'], '"a\nb"\n'],
    ['\\r\\n is quoted', ['a\r\nb'], '"a\r\nb"\n'],
    ['NA and null are verbatim', ['NA', 'null', 'N/A'], 'NA,null,N/A\n'],
    ['emoji unquoted', ['🤩 ✍️'], '🤩 ✍️\n'],
    ['semicolons and tabs unquoted', ['a;b', 'c\td'], 'a;b,c\td\n'],
    ['leading formula characters kept', ['=1+1', '-2', '@x'], '=1+1,-2,@x\n'],
    ['booleans as text', ['true', 'false'], 'true,false\n'],
  ];
  for (const [name, cells, expected] of cases) {
    it(`${name}, as csv-stringify writes it`, () => {
      assert.equal(csvRecord(cells), expected);
      assert.equal(reference(cells), expected);
    });
  }

  it('equals csv-stringify byte for byte on every fixture row of both schemas and the users CSV', () => {
    const messages = [...fixtureMessages('search-page-kpop'), ...fixtureMessages('search-page-noflat')];
    const rows = messages.flatMap((m) => [tweetRow(m, 'original'), tweetRow(m, 'extended'), userRow(m)]);
    const quoted = rows.filter((row) => csvRecord(row).includes('"')).length;
    assert.ok(quoted > 10, `fixture rows exercise quoting (${quoted} quoted)`);
    for (const row of rows) assert.equal(csvRecord(row), reference(row));
  });

  it('equals csv-stringify on random cells made of the special characters', () => {
    const alphabet = ['a', ',', '"', '\r', '\n', ' ', '😀', ''];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const cells = Array.from({ length: 1 + random(4) }, () =>
        Array.from({ length: random(6) }, () => alphabet[random(alphabet.length)]).join(''),
      );
      assert.equal(csvRecord(cells), reference(cells), JSON.stringify(cells));
    }
  });
});

describe('CSV_STRINGIFY_OPTIONS', () => {
  it('casts booleans to true/false, not 1/empty', () => {
    assert.equal(stringify([[true, false, 3]], CSV_STRINGIFY_OPTIONS), 'true,false,3\n');
  });
});

describe('csvHeader()', () => {
  it('writes the column names as one record', () => {
    assert.equal(csvHeader(USER_COLUMNS), `${USER_COLUMNS.join(',')}\n`);
    assert.ok(csvHeader(tweetColumns('original')).startsWith('id,conversation_id,author_id,created_at,'));
    assert.equal(csvHeader(['a,b', 'c']), '"a,b",c\n');
  });
});
