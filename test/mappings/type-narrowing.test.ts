import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnInfo } from '../../src/db/schema.js';
import { narrowing } from '../../src/mappings/type-narrowing.js';

function column(columnType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  const dataType = columnType.replace(/\(.*$/, '').replace(/ unsigned$/, '');
  const length = /\((\d+)\)/.exec(columnType)?.[1];
  const decimal = /\((\d+),(\d+)\)/.exec(columnType);
  return {
    name: 'c',
    dataType,
    columnType,
    nullable: true,
    hasDefault: true,
    autoIncrement: false,
    generated: false,
    maxLength: length && !decimal ? Number(length) : null,
    numericPrecision: decimal ? Number(decimal[1]) : null,
    numericScale: decimal ? Number(decimal[2]) : null,
    datetimePrecision: null,
    charset: /char|text/.test(dataType) ? 'utf8mb4' : null,
    unsigned: columnType.endsWith('unsigned'),
    ...extra,
  };
}

test('losing changes are named', () => {
  const cases: Array<[ColumnInfo, ColumnInfo, RegExp]> = [
    [column('varchar(255)'), column('varchar(64)'), /shorter string/],
    [column('int'), column('smallint'), /smaller integer/],
    [column('int'), column('int unsigned'), /signed to unsigned/],
    [column('bigint unsigned'), column('bigint'), /unsigned to signed/],
    [column('decimal(12,4)'), column('decimal(12,2)'), /fewer decimals/],
    [column('decimal(20,4)'), column('decimal(12,4)'), /fewer integer digits/],
    [
      column('varchar(50)'),
      column('varchar(50)', { charset: 'latin1' }),
      /narrower character set \(utf8mb4 -> latin1\)/,
    ],
    [
      column('datetime(6)', { datetimePrecision: 6 }),
      column('datetime', { datetimePrecision: 0 }),
      /fractional-second/,
    ],
    [column('varbinary(300)'), column('varbinary(16)'), /shorter binary/],
    [column('varchar(20)'), column('int'), /type changes/],
    [column('bigint'), column('decimal(10,2)'), /integer into a decimal with 8 integer digits/],
  ];
  for (const [from, to, reason] of cases)
    assert.match(narrowing(from, to) ?? 'none', reason, `${from.columnType} -> ${to.columnType}`);
});

test('changes that always fit are not reported', () => {
  const cases: Array<[ColumnInfo, ColumnInfo]> = [
    [column('varchar(64)'), column('varchar(255)')],
    [column('smallint'), column('int')],
    [column('int unsigned'), column('bigint')],
    [column('decimal(12,4)'), column('decimal(14,4)')],
    [column('varchar(50)', { charset: 'latin1' }), column('varchar(50)')],
    [column('float'), column('double')],
    [column('date'), column('datetime')],
    [column('int'), column('varchar(20)')],
    [column('text'), column('text')],
  ];
  for (const [from, to] of cases)
    assert.equal(narrowing(from, to), undefined, `${from.columnType} -> ${to.columnType}`);
});
