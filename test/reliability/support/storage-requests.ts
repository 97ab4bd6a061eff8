import fc from 'fast-check';
import type { RawRequest } from './wire.js';
import {
  anyBody,
  blockListXml,
  headerList,
  headerText,
  pathSegment,
  queryPairs,
  queueMessageXml,
  servicePropertiesXml,
  signedIdentifiersXml,
  tagsXml,
  wellFormed,
} from './hostile.js';

/** What exists before a fuzz run, so hostile requests reach the handlers behind "not found". */
export interface FuzzTargets {
  account: string;
  /** Query string of an account SAS granting everything on this service (no leading `?`). */
  sas: string;
}

export interface BlobFuzzTargets extends FuzzTargets {
  containers: string[];
  blockBlob: string;
  appendBlob: string;
  pageBlob: string;
  blockIds: string[];
}

export interface QueueFuzzTargets extends FuzzTargets {
  queues: string[];
  messageIds: string[];
}

/** An operation the fuzzer aims at: method, path, the query that picks it, and the body its parser reads. */
interface Operation {
  method: string;
  path: string[];
  query: Array<[string, string]>;
  body: fc.Arbitrary<Buffer | undefined>;
}

type Credentials = 'sas' | 'bad-shared-key' | 'anonymous' | 'bad-sas';

const credentials = fc.constantFrom<Credentials>(...(['sas', 'sas', 'sas', 'sas', 'sas', 'sas', 'sas', 'sas', 'bad-shared-key', 'anonymous', 'bad-sas'] as const));

const badAuthorization = fc.oneof(
  fc.constantFrom('SharedKey', 'SharedKey devstoreaccount1:', 'SharedKey :abc', 'SharedKeyLite devstoreaccount1:AAAA', 'Bearer x', 'SharedKey devstoreaccount1:sig:more', ''),
  headerText.map((t) => `SharedKey devstoreaccount1:${t}`),
  headerText,
);

const badSasFields = fc.array(
  fc.tuple(fc.constantFrom('sv', 'ss', 'srt', 'sp', 'se', 'st', 'sip', 'spr', 'sig', 'sr', 'si', 'ses'), fc.oneof(fc.constantFrom('2030-01-01T00:00:00Z', '1.2.3.4', '0.0.0.0-255.255.255.255', '::1', 'https', 'http,https', 'bqtf', 'sco', 'racwdl', 'z', '', '%'), pathSegment)),
  { minLength: 1, maxLength: 6 },
);

/** Assembles the request: the operation's query, fuzzed extra parameters, credentials, headers and body. */
function build(account: string, sas: string, operation: fc.Arbitrary<Operation>): fc.Arbitrary<RawRequest> {
  return operation.chain((op) =>
    fc.record({ extra: fc.oneof({ weight: 2, arbitrary: fc.constant<Array<[string, string]>>([]) }, { weight: 3, arbitrary: queryPairs }), creds: credentials, auth: badAuthorization, badSas: badSasFields, headers: headerList, body: op.body, dropOpQuery: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }).map(
      ({ extra, creds, auth, badSas, headers, body, dropOpQuery }): RawRequest => {
        const parts = [...(dropOpQuery ? [] : op.query), ...extra].map(([n, v]) => `${n}=${v}`);
        if (creds === 'sas') parts.push(sas);
        if (creds === 'bad-sas') parts.push(...badSas.map(([n, v]) => `${n}=${v}`));
        const all = [...headers];
        if (creds === 'bad-shared-key') all.push(['authorization', auth], ['x-ms-date', new Date().toUTCString()]);
        all.push(['x-ms-version', '2025-11-05']);
        const target = `/${[account, ...op.path].join('/')}${parts.length ? `?${parts.join('&')}` : ''}`;
        return { method: op.method, target: sendable(target), headers: all, body };
      },
    ),
  );
}

/** node:http refuses spaces, controls and non-latin1 in a path; those are percent-encoded, everything else goes as generated. */
function sendable(target: string): string {
  return target.replace(/[^\x21-\xff]/gu, (c) => encodeURIComponent(wellFormed(c)));
}

const op = (method: string, path: string[], query: Array<[string, string]>, body: fc.Arbitrary<Buffer | undefined> = fc.constant(undefined)): Operation => ({ method, path, query, body });

const NO_BODY = fc.constant(undefined);
const bytes = fc.uint8Array({ maxLength: 4_096 }).map((b) => Buffer.from(b));
const pageBytes = fc.constantFrom(0, 1, 2).chain((pages) => fc.uint8Array({ minLength: pages * 512, maxLength: pages * 512 }).map((b) => Buffer.from(b)));
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'MERGE'];

/** Hostile requests for every parser of the Blob service. */
export function blobRequests(t: BlobFuzzTargets): fc.Arbitrary<RawRequest> {
  const container = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...t.containers) }, { weight: 1, arbitrary: pathSegment });
  const blob = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(t.blockBlob, t.appendBlob, t.pageBlob) }, { weight: 1, arbitrary: fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')) });
  const scratchBlob = fc.stringMatching(/^scratch-[a-z0-9]{1,8}$/);
  const operations: fc.Arbitrary<Operation> = fc.oneof(
    fc.constant(op('GET', [], [['comp', 'list']])),
    fc.constant(op('PUT', [], [['restype', 'service'], ['comp', 'properties']], servicePropertiesXml)),
    fc.constant(op('GET', [], [['restype', 'service'], ['comp', 'properties']])),
    fc.constant(op('GET', [], [['comp', 'blobs']])),
    fc.constant(op('OPTIONS', [], [])),
    container.map((c) => op('PUT', [c], [['restype', 'container']])),
    pathSegment.map((c) => op('DELETE', [c], [['restype', 'container']])),
    container.map((c) => op('GET', [c], [['restype', 'container']])),
    container.map((c) => op('PUT', [c], [['restype', 'container'], ['comp', 'acl']], signedIdentifiersXml)),
    container.map((c) => op('GET', [c], [['restype', 'container'], ['comp', 'acl']])),
    container.map((c) => op('PUT', [c], [['restype', 'container'], ['comp', 'metadata']])),
    container.map((c) => op('PUT', [c], [['restype', 'container'], ['comp', 'lease']])),
    container.map((c) => op('GET', [c], [['restype', 'container'], ['comp', 'list']])),
    container.map((c) => op('GET', [c], [['restype', 'container'], ['comp', 'blobs']])),
    fc.tuple(container, fc.oneof(blob, scratchBlob)).map(([c, b]) => op('PUT', [c, b], [], bytes)),
    fc.tuple(container, blob).map(([c, b]) => op('GET', [c, b], [])),
    fc.tuple(container, blob).map(([c, b]) => op('HEAD', [c, b], [])),
    fc.tuple(container, fc.oneof(blob, scratchBlob)).map(([c, b]) => op('DELETE', [c, b], [])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'properties']])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'metadata']])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'snapshot']])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'lease']])),
    fc.tuple(container, blob, fc.oneof(fc.constantFrom(...t.blockIds), pathSegment)).map(([c, b, id]) => op('PUT', [c, b], [['comp', 'block'], ['blockid', id]], bytes)),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'blocklist']], blockListXml(t.blockIds))),
    fc.tuple(container, blob).map(([c, b]) => op('GET', [c, b], [['comp', 'blocklist']])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'appendblock']], bytes)),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'page']], pageBytes)),
    fc.tuple(container, blob).map(([c, b]) => op('GET', [c, b], [['comp', 'pagelist']])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'tags']], tagsXml)),
    fc.tuple(container, blob).map(([c, b]) => op('GET', [c, b], [['comp', 'tags']])),
    fc.tuple(container, blob).map(([c, b]) => op('PUT', [c, b], [['comp', 'copy'], ['copyid', 'x']])),
    // Anything at all: any method, any path depth, any body.
    fc.tuple(fc.constantFrom(...METHODS), fc.array(pathSegment, { maxLength: 4 }), anyBody).map(([m, path, body]) => op(m, path, [], fc.constant(body))),
  );
  return build(t.account, t.sas, operations);
}

/** Hostile requests for every parser of the Queue service. */
export function queueRequests(t: QueueFuzzTargets): fc.Arbitrary<RawRequest> {
  const queue = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...t.queues) }, { weight: 1, arbitrary: pathSegment });
  const messageId = fc.oneof(fc.constantFrom(...t.messageIds), pathSegment);
  const operations: fc.Arbitrary<Operation> = fc.oneof(
    fc.constant(op('GET', [], [['comp', 'list']])),
    fc.constant(op('PUT', [], [['restype', 'service'], ['comp', 'properties']], servicePropertiesXml)),
    fc.constant(op('GET', [], [['restype', 'service'], ['comp', 'properties']])),
    fc.constant(op('GET', [], [['restype', 'service'], ['comp', 'stats']])),
    queue.map((q) => op('PUT', [q], [])),
    pathSegment.map((q) => op('DELETE', [q], [])),
    queue.map((q) => op('GET', [q], [['comp', 'metadata']])),
    queue.map((q) => op('PUT', [q], [['comp', 'metadata']])),
    queue.map((q) => op('PUT', [q], [['comp', 'acl']], signedIdentifiersXml)),
    queue.map((q) => op('GET', [q], [['comp', 'acl']])),
    queue.map((q) => op('POST', [q, 'messages'], [], queueMessageXml)),
    queue.map((q) => op('POST', [q, 'messages'], [], queueMessageXml)),
    queue.map((q) => op('GET', [q, 'messages'], [])),
    queue.map((q) => op('GET', [q, 'messages'], [['peekonly', 'true']])),
    fc.tuple(queue, messageId).map(([q, id]) => op('PUT', [q, 'messages', id], [['popreceipt', 'AAAA'], ['visibilitytimeout', '0']], fc.oneof(queueMessageXml, NO_BODY))),
    fc.tuple(queue, messageId).map(([q, id]) => op('DELETE', [q, 'messages', id], [['popreceipt', 'AAAA']])),
    queue.map((q) => op('DELETE', [q, 'messages'], [])),
    fc.tuple(fc.constantFrom(...METHODS), fc.array(pathSegment, { maxLength: 4 }), anyBody).map(([m, path, body]) => op(m, path, [], fc.constant(body))),
  );
  return build(t.account, t.sas, operations);
}
