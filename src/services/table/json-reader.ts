import { TableDomainError } from './errors.js';

/** A JSON value as it appeared: numbers keep their text, so `5.0` (a Double) and `5` (an Int32) stay apart. */
export type JsonScalar =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Reads a flat JSON object (an entity, a `{"TableName":...}` body) into its
 * members in order. Names are plain data: `__proto__` is a member like any
 * other. Nested objects and arrays, and anything that is not JSON, are
 * `InvalidInput`.
 */
export function readFlatJsonObject(text: string): Array<[string, JsonScalar]> {
  let at = 0;
  const fail = (): never => {
    throw new TableDomainError('InvalidInput', `The request body is not a valid JSON object of simple properties (at character ${at}).`);
  };
  const space = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  };
  const expect = (char: string) => {
    space();
    if (text[at] !== char) fail();
    at++;
  };
  const readString = (): string => {
    space();
    STRING.lastIndex = at;
    const match = STRING.exec(text);
    if (!match) return fail();
    at = STRING.lastIndex;
    return JSON.parse(match[0]) as string;
  };
  const readValue = (): JsonScalar => {
    space();
    const c = text[at];
    if (c === '"') return { kind: 'string', value: readString() };
    for (const [word, value] of [['true', { kind: 'boolean', value: true }], ['false', { kind: 'boolean', value: false }], ['null', { kind: 'null' }]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) return fail();
    at = NUMBER.lastIndex;
    return { kind: 'number', text: match[0] };
  };
  const members: Array<[string, JsonScalar]> = [];
  expect('{');
  space();
  if (text[at] === '}') at++;
  else {
    for (;;) {
      const name = readString();
      expect(':');
      members.push([name, readValue()]);
      space();
      if (text[at] === ',') {
        at++;
        continue;
      }
      expect('}');
      break;
    }
  }
  space();
  if (at !== text.length) fail();
  return members;
}
