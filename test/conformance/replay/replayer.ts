import { request as httpRequest } from 'node:http';
import { AccountSASPermissions, generateAccountSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { AdjustableClock } from '../../../src/core/clock.js';
import { AccountState, entrySkipReason, isSuccessfulWrite, recordingSkipReason, type SkipReason } from './classify.js';
import { compareAnswers, type Answer } from './compare.js';
import { bodyText, header, sdkOf, type RecordedEntry, type Recording, type StorageSdk } from './recording.js';
import { DATE_CONDITION_HEADERS, ServerValues } from './server-values.js';
import { signBlobOrQueue, signTable } from './sign.js';

/** Where each service of the emulator account answers, path-style (`http://127.0.0.1:<port>/<account>`). */
export interface ReplayTarget {
  account: string;
  key: string;
  urls: Record<StorageSdk, string>;
  /** The emulators' clock, moved on where the recorded test waited (a visibility timeout, a lease expiry). */
  clock: AdjustableClock;
}

export interface EntryResult {
  index: number;
  sdk: StorageSdk;
  /** `PUT /container/blob?comp=tags`, the recorded request without the host. */
  request: string;
  skipped?: SkipReason;
  /** Empty when LocalZure agrees with Azure. */
  differences: string[];
}

/** Request headers the replay sets itself, or that only describe the recording client. */
const DROPPED_HEADERS = new Set(['authorization', 'user-agent', 'connection', 'content-length', 'host', 'accept-encoding', 'transfer-encoding', 'x-ms-date', 'date']);

/**
 * The recorder replaces lease ids (acquire's proposed id included) by this
 * placeholder; the replay proposes a real GUID in its place.
 */
const SANITIZED_LEASE_ID = 'sanitizedid';
const PROPOSED_LEASE_ID = '9f0b6a7e-2c1d-4e8f-a3b5-6d7c8e9f0a1b';

const TEXT_BODY = /xml|json|text|multipart|http/i;

/**
 * Query parameters of a SAS. The recorder replaces the signature by a fake
 * one, so the replay drops the SAS and signs with Shared Key: an entry
 * Azure let in with its SAS is let in by either.
 */
const SAS_PARAMETERS = ['sv', 'ss', 'srt', 'sp', 'se', 'st', 'spr', 'sig', 'sr', 'si', 'sip', 'ses', 'sdd', 'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'tn', 'spk', 'srk', 'epk', 'erk'];

/** Replays one recording entry by entry against `target`, comparing each answer with Azure's. */
export async function replayRecording(recording: Recording, target: ReplayTarget): Promise<EntryResult[]> {
  const whole = recordingSkipReason(recording);
  const values = new ServerValues();
  values.assume(SANITIZED_LEASE_ID, PROPOSED_LEASE_ID);
  const results: EntryResult[] = [];
  let skippedWrite = false;
  let recordedTime: number | undefined;
  const accountState = new AccountState();
  if (!whole) await createTablesMadeOutsideTheRecording(recording, target, values);
  for (const [index, entry] of recording.entries.entries()) {
    recordedTime = followRecordedTime(entry, recordedTime, target.clock);
    const sdk = sdkOf(entry);
    if (!sdk) continue;
    const url = new URL(entry.RequestUri);
    const base: Omit<EntryResult, 'differences'> = { index, sdk, request: `${entry.RequestMethod} ${url.pathname}${url.search}` };
    const skipped = whole ?? entrySkipReason(entry) ?? accountState.skipReason(entry) ?? (skippedWrite ? 'after-skipped-write' : undefined);
    if (skipped) {
      if (isSuccessfulWrite(entry)) skippedWrite = true;
      results.push({ ...base, skipped, differences: [] });
      continue;
    }
    const local = await send(entry, sdk, target, values);
    const recorded = recordedAnswer(entry);
    results.push({ ...base, differences: compareAnswers(entry, recorded, local) });
    values.learn(recorded, local);
  }
  return results;
}

/**
 * A copy source's SAS has a fake signature in the recording; the replay
 * signs a SAS with the recorded permissions, an hour long on the emulators'
 * clock, so the source reads as it did at Azure.
 */
function resignSourceSas(value: string, target: ReplayTarget): string {
  if (!/^https?:\/\/.*[?&]sig=/.test(value)) return value;
  const url = new URL(value);
  const permissions = AccountSASPermissions.parse(url.searchParams.get('sp') ?? 'r');
  for (const name of SAS_PARAMETERS) url.searchParams.delete(name);
  const sas = generateAccountSASQueryParameters(
    { permissions, services: 'b', resourceTypes: 'sco', expiresOn: new Date(target.clock.now() + 3_600_000) },
    new StorageSharedKeyCredential(target.account, target.key),
  ).toString();
  return `${url.origin}${url.pathname}?${[url.searchParams.toString(), sas].filter(Boolean).join('&')}`;
}

/** Gaps under this are the recorded test's own pace, not a wait it meant. */
const WAIT_THRESHOLD_MS = 2_000;

/** Moves the clock on by the time the recorded test waited before `entry`; returns the entry's recorded time. */
function followRecordedTime(entry: RecordedEntry, previous: number | undefined, clock: AdjustableClock): number | undefined {
  const time = Date.parse(header(entry.ResponseHeaders, 'date') ?? '');
  if (Number.isNaN(time)) return previous;
  if (previous !== undefined && time - previous >= WAIT_THRESHOLD_MS) clock.advance(time - previous);
  return time;
}

function recordedAnswer(entry: RecordedEntry): Answer {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(entry.ResponseHeaders)) headers[name.toLowerCase()] = header(entry.ResponseHeaders, name)!;
  return { status: entry.StatusCode, headers, body: bodyText(entry.ResponseBody) };
}

/**
 * The table suites create their tables in a before-all hook, which the
 * recorder keeps out of each test's recording: the replay creates every
 * table a recording uses and does not create itself, as that hook did.
 */
async function createTablesMadeOutsideTheRecording(recording: Recording, target: ReplayTarget, values: ServerValues): Promise<void> {
  const tableEntries = recording.entries.filter((entry) => sdkOf(entry) === 'table');
  const used = new Set<string>();
  const created = new Set<string>();
  for (const entry of tableEntries) {
    const name = /^\/([A-Za-z][A-Za-z0-9]*)(\(|$)/.exec(new URL(entry.RequestUri).pathname)?.[1];
    if (name && name !== 'Tables' && !name.startsWith('$')) used.add(name);
    const body = entry.RequestBody as { TableName?: string } | null;
    // A create Azure refused with TableAlreadyExists shows the hook had made the table.
    if (entry.RequestMethod === 'POST' && entry.StatusCode < 300 && new URL(entry.RequestUri).pathname === '/Tables' && body?.TableName) created.add(body.TableName);
  }
  const origin = tableEntries[0] ? new URL(tableEntries[0].RequestUri).origin : '';
  for (const table of [...used].filter((name) => !created.has(name))) {
    const setup: RecordedEntry = {
      RequestUri: `${origin}/Tables`,
      RequestMethod: 'POST',
      RequestHeaders: { Accept: 'application/json;odata=nometadata', 'Content-Type': 'application/json', DataServiceVersion: '3.0', 'x-ms-version': '2019-02-02' },
      RequestBody: { TableName: table },
      StatusCode: 201,
      ResponseHeaders: {},
      ResponseBody: null,
    };
    await send(setup, 'table', target, values);
  }
}

function send(entry: RecordedEntry, sdk: StorageSdk, target: ReplayTarget, values: ServerValues): Promise<Answer> {
  const recordedUrl = new URL(entry.RequestUri);
  const recordedAccount = recordedUrl.hostname.split('.')[0]!;
  // A URL inside a header or body (copy source, batch sub-request) names the recorded account's endpoints.
  const moveHost = (text: string): string =>
    text.replace(new RegExp(`https?://${recordedAccount}\\.(blob|queue|table)\\.core\\.windows\\.net`, 'g'), (_, service: StorageSdk) => target.urls[service]);
  const url = new URL(`${target.urls[sdk]}${values.substitute(recordedUrl.pathname + recordedUrl.search)}`);
  if (url.searchParams.has('sig')) for (const name of SAS_PARAMETERS) url.searchParams.delete(name);
  const headers: Record<string, string> = {};
  for (const name of Object.keys(entry.RequestHeaders)) {
    const lower = name.toLowerCase();
    const value = header(entry.RequestHeaders, name)!;
    if (DROPPED_HEADERS.has(lower) || value === 'Sanitized') continue;
    headers[lower] = DATE_CONDITION_HEADERS.has(lower) ? values.shiftDate(value) : resignSourceSas(moveHost(values.substitute(value)), target);
  }
  const contentType = headers['content-type'] ?? '';
  const recordedBody = entry.RequestBody;
  const body =
    recordedBody === null || recordedBody === undefined
      ? Buffer.alloc(0)
      : typeof recordedBody === 'object'
        ? Buffer.from(moveHost(values.substitute(JSON.stringify(recordedBody))), 'utf8')
        : TEXT_BODY.test(contentType)
          ? Buffer.from(moveHost(values.substitute(recordedBody)), 'utf8')
          : Buffer.from(recordedBody, 'base64');
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE'].includes(entry.RequestMethod)) headers['content-length'] = String(body.length);
  headers['x-ms-date'] = new Date(target.clock.now()).toUTCString();
  const signed = { method: entry.RequestMethod, url, headers };
  headers.authorization = sdk === 'table' ? signTable(signed, target.account, target.key) : signBlobOrQueue(signed, target.account, target.key);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: entry.RequestMethod, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answerHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
