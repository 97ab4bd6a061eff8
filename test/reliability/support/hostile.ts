import fc from 'fast-check';

// Building blocks of hostile requests, shared by the blob, queue (and table)
// fuzzers: odd path segments, query values, header values and XML documents.

const LATIN1_PRINTABLE = fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c));

/** Any value node:http lets through as a header value: printable latin1 and tabs. */
export const headerText = fc.string({ unit: fc.oneof({ weight: 5, arbitrary: LATIN1_PRINTABLE }, { weight: 1, arbitrary: fc.constant('\t') }), maxLength: 80 });

/** Text for XML leaves and messages: any unicode, entities and markup fragments included. */
export const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('&amp;', '&lt;', '&#0;', '&#x1F600;', '&#xFFFE;', '&#99999999;', '&unknown;', '&', '<', ']]>', '<![CDATA[x]]>', '\u0000', '\uD800', '\uFFFF', ''),
);

const PERCENT_PIECES = [
  '%00', '%2F', '%2f', '%2E%2E', '..', '.', '%', '%G0', '%C0%AF', '%ED%A0%80', '%FF', '%E2%80%AE', '%F0%9F%98%80',
  '~', '$root', '$logs', '$web', '\u00e9', '%20', '+', '%2B', '%25', '%3F', '%23', ';', "'", '"', '<', '>', '\\', '|', '^', '`', '{', '}', '//',
];

/** One path segment: plausible names, odd percent-encodings, dot segments, very long names. */
export const pathSegment = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9-]{0,70}$/) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...PERCENT_PIECES), fc.stringMatching(/^[a-zA-Z0-9]{0,5}$/)), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '%41', '%E2%80%AE', 'x/'), fc.integer({ min: 64, max: 6_000 })).map(([unit, n]) => unit.repeat(n)) },
);

const NUMBERS = ['0', '-1', '1', '5', '32', '33', '1000', '5001', '604800', '604801', '1.5', '1e3', 'NaN', 'Infinity', '0x10', '99999999999999999999', '9007199254740993', '', ' 1', '+1', '00'];

/** Query values: real comp/restype values, numbers at the edges, dates, broken percent-encoding. */
export const queryValue = fc.oneof(
  fc.constantFrom(
    'list', 'properties', 'block', 'blocklist', 'metadata', 'acl', 'lease', 'tags', 'page', 'pagelist', 'appendblock', 'snapshot', 'copy',
    'stats', 'blobs', 'container', 'service', 'account', 'all', 'committed', 'uncommitted', 'true', 'false', 'TRUE', 'batch', 'userdelegationkey',
  ),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom('2030-01-01T00:00:00Z', '1970-01-01', 'not a date', '2021-02-30T25:61:61Z', '%', '%zz', '%E0%80', '%ED%A0%80', "%22tag%22%3D'x'", '"a"=\'b\' AND', "@container='x'"),
  pathSegment,
  headerText.map(encodeURIComponentSafe),
);

/** `name=value` pairs, some names real, some repeated, some not names at all. */
export const queryPairs = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        'comp', 'restype', 'timeout', 'maxresults', 'marker', 'prefix', 'delimiter', 'include', 'blockid', 'blocklisttype', 'snapshot', 'versionid',
        'where', 'numofmessages', 'visibilitytimeout', 'messagettl', 'popreceipt', 'peekonly', 'sv', 'sp', 'se', 'st', 'sip', 'spr', 'sr', 'si', 'sig',
        'ss', 'srt', 'rscc', 'rsct', 'showonly',
      ),
      pathSegment,
    ),
    queryValue,
  ),
  { maxLength: 5 },
);

const DATES = [
  'Thu, 01 Jan 1970 00:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'Mon, 01 Jan 0001 00:00:00 GMT', '2024-05-01T10:00:00Z', '2024-13-45', 'yesterday',
  'Sun, 32 Foo 2020 99:99:99 GMT', '0', '-1', '',
];

/** Values aimed at header parsers: ranges, dates, ETags, numbers, booleans, URLs and free text. */
export const headerValue = fc.oneof(
  fc.constantFrom(
    'bytes=0-', 'bytes=0-0', 'bytes=5-2', 'bytes=-5', 'bytes=0-1,3-4', 'bytes=99999999999999999999-', 'bytes=0-9007199254740993', 'items=0-1', 'bytes=', 'bytes=0-511',
    'bytes=512-1023', 'bytes=1-512',
  ),
  fc.constantFrom(...DATES),
  fc.constantFrom('*', '"0x1"', 'W/"x"', ',,,', '"', '"0x8D"', '*, "a"'),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom('true', 'false', 'BlockBlob', 'AppendBlob', 'PageBlob', 'update', 'clear', 'increment', 'max', 'acquire', 'renew', 'change', 'release', 'break', 'include', 'only', 'container', 'blob'),
  fc.constantFrom('http://127.0.0.1:1/devstoreaccount1/c/b', 'http://[::1', '/relative', 'ftp://x/y', 'http://127.0.0.1/devstoreaccount1/fuzz-a/block.txt?sig=x', 'a=b&c', 'key=%ZZ'),
  headerText,
);

const HEADER_NAMES = [
  'range', 'x-ms-range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'x-ms-date', 'date', 'x-ms-version', 'content-md5', 'content-type',
  'x-ms-blob-type', 'x-ms-blob-content-length', 'x-ms-blob-sequence-number', 'x-ms-sequence-number-action', 'x-ms-page-write', 'x-ms-lease-action', 'x-ms-lease-id',
  'x-ms-lease-duration', 'x-ms-lease-break-period', 'x-ms-proposed-lease-id', 'x-ms-delete-snapshots', 'x-ms-blob-condition-appendpos', 'x-ms-blob-condition-maxsize',
  'x-ms-if-sequence-number-le', 'x-ms-if-sequence-number-lt', 'x-ms-if-sequence-number-eq', 'x-ms-copy-source', 'x-ms-tags', 'x-ms-if-tags', 'x-ms-blob-public-access',
  'x-ms-range-get-content-md5', 'x-ms-client-request-id', 'x-ms-blob-content-md5', 'x-ms-blob-cache-control', 'x-ms-access-tier', 'accept', 'prefer', 'dataserviceversion',
  'maxdataserviceversion', 'x-http-method', 'origin', 'access-control-request-method',
];

const TOKEN = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.!#$%&\'*+^`|~'), maxLength: 20 });

/** A metadata header name: identifiers, near-identifiers and prototype keys. */
export const metadataName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '1abc', 'a-b', 'A', 'a', ''), TOKEN);

/** Headers aimed at the parsers; never Content-Length or Transfer-Encoding (node:http sets them truthfully). */
export const headerList = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...HEADER_NAMES), headerValue) },
    { weight: 1, arbitrary: fc.tuple(metadataName.map((n) => `x-ms-meta-${n}`), headerText) },
    { weight: 1, arbitrary: fc.tuple(TOKEN.filter((n) => n !== '' && !/^(content-length|transfer-encoding|host|connection|expect|upgrade|te|trailer|keep-alive|authorization)$/i.test(n)), headerText) },
  ),
  { maxLength: 6 },
);

/** Anything at all as a body: nothing, bytes, text. */
export const anyBody = fc.oneof(fc.constant(undefined), fc.uint8Array({ maxLength: 2_048 }).map((b) => Buffer.from(b)), anyText.map((t) => Buffer.from(t)));

const PROTO_TAGS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Ways to spoil a well-formed XML document, from none to outright garbage. */
const xmlMutation = fc.oneof(
  { weight: 5, arbitrary: fc.constant((doc: string) => doc) },
  { weight: 2, arbitrary: fc.nat().map((n) => (doc: string) => doc.slice(0, n % Math.max(doc.length, 1))) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_TAGS).map((tag) => (doc: string) => doc.replace(/(<[A-Za-z]+>)/, `$1<${tag}><${tag}>x</${tag}><polluted>yes</polluted></${tag}>`)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((depth) => (doc: string) => `${'<a>'.repeat(depth)}${doc}${'</a>'.repeat(depth)}`) },
  { weight: 1, arbitrary: fc.constant((doc: string) => `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${doc.replace(/(<[A-Za-z]+>)([^<]*)</, '$1&lol3;<')}`) },
  { weight: 1, arbitrary: fc.constant((doc: string) => `<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>${doc.replace(/>([^<]+)</, '>&ext;<')}`) },
  { weight: 1, arbitrary: fc.constant((doc: string) => `\uFEFF${doc}`) },
  { weight: 1, arbitrary: fc.constant((doc: string) => `${doc}${doc}`) },
  { weight: 1, arbitrary: fc.constant((doc: string) => doc.replace(/<([A-Za-z]+)>/, '<$1 a="1" a="2" xmlns:x="y">')) },
  { weight: 1, arbitrary: anyText.map((text) => (doc: string) => `${doc.slice(0, doc.length >> 1)}${text}${doc.slice(doc.length >> 1)}`) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => () => Buffer.from(bytes).toString('latin1')) },
);

/** A document from `build` with fuzzed leaves, then possibly spoiled. */
export function hostileXml(document: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  return fc.tuple(document, xmlMutation).map(([doc, mutate]) => Buffer.from(mutate(doc), 'utf8'));
}

const leaf = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: anyText.map(escapeXml) }, { weight: 1, arbitrary: anyText });
const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>';

/** `<BlockList>` with ids that exist, ids that do not, bad Base64 and unknown element names. */
export function blockListXml(knownIds: string[]): fc.Arbitrary<Buffer> {
  const id = fc.oneof(fc.constantFrom(...knownIds), fc.uint8Array({ maxLength: 70 }).map((b) => Buffer.from(b).toString('base64')), anyText.map(escapeXml));
  const entry = fc.tuple(fc.constantFrom('Latest', 'Committed', 'Uncommitted', 'Other', 'latest', ...PROTO_TAGS), id).map(([kind, value]) => `<${kind}>${value}</${kind}>`);
  return hostileXml(fc.array(entry, { maxLength: 6 }).map((entries) => `${XML_DECL}<BlockList>${entries.join('')}</BlockList>`));
}

/** `<SignedIdentifiers>`: up to 7 (Azure takes 5), with odd ids, dates and permissions. */
export const signedIdentifiersXml = hostileXml(
  fc
    .array(
      fc.record({
        id: fc.oneof(fc.stringMatching(/^[a-zA-Z0-9]{0,70}$/), anyText.map(escapeXml)),
        start: fc.oneof(fc.constantFrom(...DATES, '2024-01-01T00:00:00.0000000Z'), fc.constant(null)),
        expiry: fc.oneof(fc.constantFrom(...DATES, '2099-01-01T00:00:00Z'), fc.constant(null)),
        permission: fc.oneof(fc.constantFrom('r', 'racwdl', 'rwdlacup', 'zzz', '', 'rr'), fc.constant(null)),
      }),
      { maxLength: 7 },
    )
    .map(
      (ids) =>
        `${XML_DECL}<SignedIdentifiers>${ids
          .map(
            (s) =>
              `<SignedIdentifier><Id>${s.id}</Id><AccessPolicy>${opt('Start', s.start)}${opt('Expiry', s.expiry)}${opt('Permission', s.permission)}</AccessPolicy></SignedIdentifier>`,
          )
          .join('')}</SignedIdentifiers>`,
    ),
);

const retention = fc.record({ enabled: fc.constantFrom('true', 'false', 'maybe', ''), days: fc.constantFrom(...NUMBERS) }).map(
  ({ enabled, days }) => `<RetentionPolicy><Enabled>${enabled}</Enabled><Days>${days}</Days></RetentionPolicy>`,
);
const metrics = (name: string) =>
  fc.tuple(fc.constantFrom('1.0', '2.0', ''), fc.constantFrom('true', 'false', 'x'), retention).map(([v, e, r]) => `<${name}><Version>${v}</Version><Enabled>${e}</Enabled><IncludeAPIs>${e}</IncludeAPIs>${r}</${name}>`);
const corsRule = fc
  .record({ origins: leaf, methods: fc.constantFrom('GET', 'GET,PUT', 'FOO', '', '*'), headers: leaf, age: fc.constantFrom(...NUMBERS) })
  .map((r) => `<CorsRule><AllowedOrigins>${r.origins ?? '*'}</AllowedOrigins><AllowedMethods>${r.methods}</AllowedMethods><AllowedHeaders>${r.headers ?? ''}</AllowedHeaders><ExposedHeaders>*</ExposedHeaders><MaxAgeInSeconds>${r.age}</MaxAgeInSeconds></CorsRule>`);

/** `<StorageServiceProperties>` for blob and queue: logging, metrics, CORS (up to 7 rules), retention, static website. */
export const servicePropertiesXml = hostileXml(
  fc
    .record({
      logging: fc.option(fc.tuple(fc.constantFrom('1.0', 'x'), fc.constantFrom('true', 'false', '1'), retention)),
      hour: fc.option(metrics('HourMetrics')),
      minute: fc.option(metrics('MinuteMetrics')),
      cors: fc.option(fc.array(corsRule, { maxLength: 7 })),
      version: fc.option(fc.constantFrom('2020-10-02', 'x', '')),
      website: fc.option(fc.tuple(fc.constantFrom('true', 'false', 'x'), leaf)),
      deleteRetention: fc.option(retention),
    })
    .map(
      (p) =>
        `${XML_DECL}<StorageServiceProperties>${p.logging ? `<Logging><Version>${p.logging[0]}</Version><Delete>${p.logging[1]}</Delete><Read>${p.logging[1]}</Read><Write>${p.logging[1]}</Write>${p.logging[2]}</Logging>` : ''}${p.hour ?? ''}${p.minute ?? ''}${
          p.cors ? `<Cors>${p.cors.join('')}</Cors>` : ''
        }${opt('DefaultServiceVersion', p.version)}${p.deleteRetention ? p.deleteRetention.replace(/RetentionPolicy/g, 'DeleteRetentionPolicy') : ''}${
          p.website ? `<StaticWebsite><Enabled>${p.website[0]}</Enabled>${opt('IndexDocument', p.website[1])}</StaticWebsite>` : ''
        }</StorageServiceProperties>`,
    ),
);

/** `<Tags>`: up to 12 pairs (Azure takes 10), odd keys and values, duplicates. */
export const tagsXml = hostileXml(
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom('k', 'K', 'a b', 'x+-./:=_', ...PROTO_TAGS, ''), anyText.map(escapeXml)), fc.oneof(fc.constantFrom('v', '', 'a'.repeat(300)), anyText.map(escapeXml))), { maxLength: 12 })
    .map((tags) => `${XML_DECL}<Tags><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tags>`),
);

/** `<QueueMessage><MessageText>`: any text, empty, oversized, or missing. */
export const queueMessageXml = hostileXml(
  fc
    .oneof(
      { weight: 4, arbitrary: anyText.map(escapeXml) },
      { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((n) => 'm'.repeat(n)) },
      { weight: 1, arbitrary: fc.constant(null) },
    )
    .map((text) => `${XML_DECL}<QueueMessage>${text === null ? '' : `<MessageText>${text}</MessageText>`}</QueueMessage>`),
);

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function opt(name: string, value: string | null): string {
  return value === null ? '' : `<${name}>${value}</${name}>`;
}

function encodeURIComponentSafe(text: string): string {
  // Lone surrogates cannot be percent-encoded; send their replacement.
  return encodeURIComponent(wellFormed(text));
}

/** Lone surrogates (which cannot be percent-encoded) replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}
