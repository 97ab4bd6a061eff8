import { describe, expect, it } from 'vitest';
import { parseTagExpression, tagExpressionHolds } from '../../src/services/blob/tag-conditions.js';

const holds = (text: string, tags: Record<string, string>) => tagExpressionHolds(parseTagExpression(text)!, tags);

describe('x-ms-if-tags expressions', () => {
  it('compares with =, <>, <, <=, >, >=', () => {
    const tags = { tier: 'b' };
    expect(['tier=\'b\'', 'tier<>\'a\'', 'tier<\'c\'', 'tier<=\'b\'', 'tier>\'a\'', 'tier>=\'b\''].map((t) => holds(t, tags))).toEqual([true, true, true, true, true, true]);
    expect(holds("tier <> 'b'", tags)).toBe(false);
  });

  it('joins with AND before OR, and with parentheses first', () => {
    const tags = { a: '1', b: '2' };
    expect(holds("a='0' AND b='2' OR a='1'", tags)).toBe(true);
    expect(holds("a='0' AND (b='2' OR a='1')", tags)).toBe(false);
    expect(holds(`"b" = '2' and a <> '5'`, tags)).toBe(true);
  });

  it('is false for a tag the blob does not have, even with <>', () => {
    expect(holds("missing <> 'x'", {})).toBe(false);
  });

  it.each(['key111==value1', "key+1='value1'", "key--1='v'", "key1='value$$##'", `"k#y"='v'`, "@container='c'", "a='1' AND", "(a='1'", "a=1", ''])('refuses the malformed expression %j', (text) => {
    expect(parseTagExpression(text)).toBeUndefined();
  });
});
