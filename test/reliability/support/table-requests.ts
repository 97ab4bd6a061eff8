import fc from 'fast-check';
import { anyText, headerList, pathSegment, queryPairs, servicePropertiesXml, signedIdentifiersXml, wellFormed } from './hostile.js';
import type { FuzzTargets } from './storage-requests.js';
import type { RawRequest } from './wire.js';

export interface TableFuzzTargets extends FuzzTargets {
  tables: string[];
  port: number;
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const EDM = ['Edm.Int64', 'Edm.Int32', 'Edm.Guid', 'Edm.DateTime', 'Edm.Binary', 'Edm.Double', 'Edm.Boolean', 'Edm.String', 'Edm.Bogus', ''];

const key = fc.oneof(
  fc.constantFrom('p', 'r', '', ' ', 'a/b', 'a\\b', 'a#b', 'a?b', "o'hara", '\u0000', '\u007f', 'x'.repeat(1_100)),
  anyText,
);

const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    anyText,
    fc.double(),
    fc.integer(),
    fc.constantFrom(9007199254740993, 1e308, -0, true, false, null, '2020-13-45T00:00:00Z', '00000000-0000-0000-0000-00000000000Z', '=='),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** An entity as JSON text: keys that lie, odata annotations that do not fit their values, prototype keys. */
const entityJson = fc
  .record({
    pk: fc.option(key),
    rk: fc.option(key),
    props: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...PROTO_KEYS, 'Timestamp', 'odata.etag', 'odata.metadata', 'a@odata.type', '', 'x'.repeat(300), 'Name', 'Age'), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/)),
        jsonValue,
        fc.option(fc.constantFrom(...EDM)),
      ),
      { maxLength: 6 },
    ),
  })
  .map(({ pk, rk, props }) => {
    // Built as text so `__proto__` and duplicate keys reach the server as sent.
    const parts: string[] = [];
    if (pk !== null) parts.push(`"PartitionKey":${JSON.stringify(wellFormed(pk))}`);
    if (rk !== null) parts.push(`"RowKey":${JSON.stringify(wellFormed(rk))}`);
    for (const [name, value, type] of props) {
      parts.push(`${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}`);
      if (type !== null) parts.push(`${JSON.stringify(`${name}@odata.type`)}:${JSON.stringify(type)}`);
    }
    return `{${parts.join(',')}}`;
  });

const jsonMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((text: string) => text) },
  { weight: 1, arbitrary: fc.nat().map((n) => (text: string) => text.slice(0, n % Math.max(text.length, 1))) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => (text: string) => `${'['.repeat(depth)}${text}${']'.repeat(depth)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).map((depth) => (text: string) => text.replace(/^\{/, `{"deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},`)) },
  { weight: 1, arbitrary: fc.constant((text: string) => `\uFEFF${text}`) },
  { weight: 1, arbitrary: anyText.map((junk) => () => junk) },
);

const entityBody = fc.tuple(entityJson, jsonMutation).map(([text, mutate]) => Buffer.from(mutate(text)));

const FILTER_TOKENS = [
  "PartitionKey eq 'p'", "RowKey gt '5'", 'Age ge 30', 'x eq 1L', "d eq datetime'2020-01-01T00:00:00Z'", "g eq guid'bad'", "b eq X'0F'", "b eq binary'zz'",
  'not', 'and', 'or', '(', ')', "'unterminated", 'eq eq', 'true', 'Age eq 99999999999999999999', 'Age eq 1.5e400', '__proto__ eq 1', 'constructor eq 2',
  'substringof(\'a\', Name)', 'Name eq null', '%', 'Name ne \'\'\'', '((((((((((((((((((((', 'Age add 1 eq 2',
];
const filter = fc.oneof(
  fc.array(fc.constantFrom(...FILTER_TOKENS), { maxLength: 7 }).map((tokens) => tokens.join(' ')),
  fc.integer({ min: 50, max: 5_000 }).map((depth) => `${'('.repeat(depth)}Age eq 1${')'.repeat(depth)}`),
  fc.integer({ min: 50, max: 2_000 }).map((n) => Array.from({ length: n }, () => "PartitionKey eq 'p'").join(' and ')),
  anyText,
);

const entityAddress = fc
  .tuple(key, key)
  .map(([pk, rk]) => `(PartitionKey='${encodeURIComponent(wellFormed(pk).replace(/'/g, "''"))}',RowKey='${encodeURIComponent(wellFormed(rk).replace(/'/g, "''"))}')`);

function batchBody(t: TableFuzzTargets): fc.Arbitrary<{ boundary: string; body: Buffer }> {
  const operation = fc.record({
    method: fc.constantFrom('POST', 'PUT', 'MERGE', 'PATCH', 'DELETE', 'GET', 'FOO'),
    table: fc.oneof(fc.constantFrom(...t.tables), pathSegment),
    address: fc.option(entityAddress),
    account: fc.constantFrom(t.account, 'otheraccount'),
    body: entityBody,
    ifMatch: fc.option(fc.constantFrom('*', 'W/"datetime\'2020-01-01T00%3A00%3A00Z\'"', 'garbage')),
  });
  return fc
    .record({
      ops: fc.oneof({ weight: 5, arbitrary: fc.array(operation, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(operation, { minLength: 101, maxLength: 102 }) }),
      lieAboutBoundary: fc.boolean(),
      mutate: jsonMutation,
    })
    .map(({ ops, lieAboutBoundary, mutate }) => {
      const boundary = 'batch_fuzz';
      const changeset = 'changeset_fuzz';
      const parts = ops.map(
        (op) =>
          `--${changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${op.method} http://127.0.0.1:${t.port}/${op.account}/${op.table}${op.address ?? ''} HTTP/1.1\r\nContent-Type: application/json\r\nAccept: application/json;odata=nometadata\r\n${
            op.ifMatch ? `If-Match: ${op.ifMatch}\r\n` : ''
          }\r\n${op.body.toString('utf8')}\r\n`,
      );
      const text = `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n${parts.join('')}--${changeset}--\r\n--${boundary}--\r\n`;
      return { boundary: lieAboutBoundary ? 'batch_other' : boundary, body: Buffer.from(mutate(text)) };
    });
}

const TABLE_HEADERS: fc.Arbitrary<Array<[string, string]>> = fc.tuple(
  fc.constantFrom('application/json;odata=nometadata', 'application/json;odata=fullmetadata', 'application/json;odata=minimalmetadata', 'application/atom+xml', 'garbage', '*/*'),
  fc.constantFrom('application/json', 'application/json;odata=nometadata', 'text/plain', 'multipart/mixed', ''),
  fc.constantFrom('return-no-content', 'return-content', 'nonsense', ''),
  fc.constantFrom('3.0;NetFx', '1.0', 'x', ''),
).map(([accept, type, prefer, dsv]) => [['accept', accept], ['content-type', type], ['prefer', prefer], ['dataserviceversion', dsv]]);

/** Hostile requests for every parser of the Table service: JSON entities, OData queries, batches, ACL and properties XML. */
export function tableRequests(t: TableFuzzTargets): fc.Arbitrary<RawRequest> {
  const table = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...t.tables) }, { weight: 1, arbitrary: pathSegment });
  type Op = { method: string; path: string; query: Array<[string, string]>; body: fc.Arbitrary<Buffer | undefined>; contentType?: fc.Arbitrary<string> };
  const none = fc.constant(undefined);
  const tableNameBody = fc.oneof(fc.constantFrom(...t.tables, 'x', 'tables', 'Tables', '1abc', 'a'.repeat(70)), anyText).chain((name) =>
    fc.tuple(fc.constant(`{"TableName":${JSON.stringify(wellFormed(name))}}`), jsonMutation).map(([text, mutate]) => Buffer.from(mutate(text))),
  );
  const queryOptions = fc.record({ filter: fc.option(filter), select: fc.option(fc.constantFrom('Name,Age', '__proto__', ',', 'a'.repeat(300), '*')), top: fc.option(fc.constantFrom('0', '1', '1000', '1001', '-1', 'x')) });
  const toQuery = (o: { filter: string | null; select: string | null; top: string | null }): Array<[string, string]> => [
    ...(o.filter !== null ? [['$filter', encodeURIComponent(wellFormed(o.filter))] as [string, string]] : []),
    ...(o.select !== null ? [['$select', o.select] as [string, string]] : []),
    ...(o.top !== null ? [['$top', o.top] as [string, string]] : []),
  ];
  const ops: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ method: 'POST', path: 'Tables', query: [], body: tableNameBody }),
    queryOptions.map((o): Op => ({ method: 'GET', path: 'Tables', query: toQuery(o), body: none })),
    pathSegment.map((name): Op => ({ method: 'DELETE', path: `Tables('${name}')`, query: [], body: none })),
    fc.tuple(table, queryOptions).map(([name, o]): Op => ({ method: 'GET', path: `${name}()`, query: toQuery(o), body: none })),
    table.map((name): Op => ({ method: 'POST', path: name, query: [], body: entityBody })),
    fc.tuple(fc.constantFrom('PUT', 'MERGE', 'PATCH', 'DELETE', 'GET'), table, entityAddress).map(([method, name, address]): Op => ({ method, path: `${name}${address}`, query: [], body: entityBody })),
    batchBody(t).map(({ boundary, body }): Op => ({ method: 'POST', path: '$batch', query: [], body: fc.constant(body), contentType: fc.constant(`multipart/mixed; boundary=${boundary}`) })),
    table.map((name): Op => ({ method: 'PUT', path: name, query: [['comp', 'acl']], body: signedIdentifiersXml })),
    table.map((name): Op => ({ method: 'GET', path: name, query: [['comp', 'acl']], body: none })),
    fc.constant<Op>({ method: 'PUT', path: '', query: [['restype', 'service'], ['comp', 'properties']], body: servicePropertiesXml }),
    fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'MERGE'), fc.array(pathSegment, { maxLength: 3 }), fc.uint8Array({ maxLength: 500 })).map(
      ([method, path, bytes]): Op => ({ method, path: path.join('/'), query: [], body: fc.constant(Buffer.from(bytes)) }),
    ),
  );
  return ops.chain((op) =>
    fc
      .record({
        body: op.body,
        contentType: op.contentType ?? fc.constant(undefined),
        standard: TABLE_HEADERS,
        headers: headerList,
        extra: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<[string, string]>>([]) }, { weight: 1, arbitrary: queryPairs }),
        anonymous: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        ifMatch: fc.option(fc.constantFrom('*', 'W/"datetime\'2020-01-01T00%3A00%3A00.0000000Z\'"', '"bad"', '')),
      })
      .map(({ body, contentType, standard, headers, extra, anonymous, ifMatch }): RawRequest => {
        const parts = [...op.query, ...extra].map(([n, v]) => `${n}=${v}`);
        if (!anonymous) parts.push(t.sas);
        const target = `/${t.account}/${op.path}${parts.length ? `?${parts.join('&')}` : ''}`.replace(/[^\x21-\xff]/gu, (c) => encodeURIComponent(wellFormed(c)));
        const all: Array<[string, string]> = [...standard.filter(([n]) => !(contentType && n === 'content-type')), ...headers, ['x-ms-version', '2019-02-02']];
        if (contentType) all.push(['content-type', contentType]);
        if (ifMatch !== null) all.push(['if-match', ifMatch]);
        return { method: op.method, target, headers: all, body };
      }),
  );
}

