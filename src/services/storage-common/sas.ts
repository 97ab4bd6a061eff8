import { isIP } from 'node:net';
import { httpDate, parseDate } from './dates.js';
import type { StorageRequest } from './request.js';
import { accountKeys, sign, signatureMatches } from './shared-key.js';
import { commonErrors } from './storage-error.js';

/** The SAS fields of a query string, by their query names (`sv`, `sp`, `se`, ...), raw as signed. */
export type SasParameters = Readonly<Record<string, string | undefined>> & { readonly sig: string };

// Fields of the string to sign: a second copy of one would leave open which of the two was signed.
const SIGNED_FIELDS = ['sig', 'sv', 'ss', 'srt', 'sp', 'st', 'se', 'sip', 'spr', 'sr', 'si', 'ses', 'tn', 'spk', 'srk', 'epk', 'erk'];

/** The SAS in a request's query, or undefined when there is no `sig`. A field given twice is 403 AuthenticationFailed. */
export function readSas(query: URLSearchParams): SasParameters | undefined {
  const sig = query.get('sig');
  if (sig === null) return undefined;
  const repeated = SIGNED_FIELDS.find((name) => query.getAll(name).length > 1);
  if (repeated !== undefined) throw commonErrors.authenticationFailed(`The SAS parameter ${repeated} is given more than once.`);
  const fields: Record<string, string> = {};
  for (const [name, value] of query) fields[name] = value;
  return fields as SasParameters;
}

/** An account SAS carries the services (`ss`) and resource types (`srt`) it covers. */
export function isAccountSas(sas: SasParameters): boolean {
  return sas.ss !== undefined && sas.srt !== undefined;
}

/** What one operation asks of a SAS. */
export interface SasNeeds {
  /** Account SAS service letter: b(lob), q(ueue), t(able), f(ile). */
  service: 'b' | 'q' | 't' | 'f';
  /** Account SAS resource type: s(ervice), c(ontainer/queue/table), o(bject). */
  resourceType: 's' | 'c' | 'o';
  /** Permission letters of which any one grants the operation, e.g. `'wc'`. */
  permissions: string;
}

/** Verifies an account SAS: signature, time window, protocol, IP, service, resource type, permission. */
export function verifyAccountSas(request: StorageRequest, sas: SasParameters, needs: SasNeeds): void {
  const v = (name: string) => sas[name] ?? '';
  verifySasLetters('sp', v('sp'), ACCOUNT_PERMISSIONS);
  verifySasLetters('ss', v('ss'), 'bqtf');
  verifySasLetters('srt', v('srt'), 'sco');
  const fields = [request.account.name, v('sp'), v('ss'), v('srt'), v('st'), v('se'), v('sip'), v('spr'), v('sv')];
  // Version 2020-12-06 added the encryption scope line.
  if (v('sv') >= '2020-12-06') fields.push(v('ses'));
  verifySasSignature(request, sas, `${fields.join('\n')}\n`);
  verifySasWindow(request, sas.st, sas.se);
  verifySasNetwork(request, sas);
  if (!v('ss').includes(needs.service)) throw commonErrors.serviceMismatch();
  if (!v('srt').includes(needs.resourceType)) throw commonErrors.resourceTypeMismatch();
  verifySasPermission(v('sp'), needs.permissions);
}

/** Letters an account SAS may grant (read, write, delete, delete version, permanent delete, list, add, create, update, process, tags, filter, immutability). */
const ACCOUNT_PERMISSIONS = 'rwdxylacuptfi';

/** A SAS field made of letters (`sp`, `ss`, `srt`) may hold only the letters Azure defines for it: 403 AuthenticationFailed otherwise. */
export function verifySasLetters(field: string, value: string, allowed: string): void {
  const unknown = [...value].find((letter) => !allowed.includes(letter));
  if (unknown !== undefined) throw commonErrors.authenticationFailed(`The SAS field ${field}=${value} holds "${unknown}", which is none of ${[...allowed].join(', ')}.`);
}

/**
 * Every storage service version since SAS carried `sv`. A SAS names the
 * version it was signed under, and Azure refuses one it does not know.
 */
const SAS_VERSIONS = new Set([
  '2012-02-12', '2013-08-15', '2014-02-14', '2015-02-21', '2015-04-05', '2015-07-08', '2015-12-11', '2016-05-31',
  '2017-04-17', '2017-07-29', '2017-11-09', '2018-03-28', '2018-11-09', '2019-02-02', '2019-07-07', '2019-10-10',
  '2019-12-12', '2020-02-10', '2020-04-08', '2020-06-12', '2020-08-04', '2020-10-02', '2020-12-06', '2021-02-12',
  '2021-04-10', '2021-06-08', '2021-08-06', '2021-10-04', '2021-12-02', '2022-11-02', '2023-01-03',
  '2023-08-03', '2023-11-03', '2024-02-04', '2024-05-04', '2024-08-04', '2024-11-04', '2025-01-05', '2025-05-05',
  '2025-07-05', '2025-11-05',
]);
const NEWEST_SAS_VERSION = [...SAS_VERSIONS].sort().at(-1)!;

/**
 * `sv` is required and must be a storage service version. A version newer
 * than every one listed here is accepted: it comes from an SDK released
 * after this emulator, and refusing it would break every SAS that SDK signs.
 */
export function verifySasVersion(sv: string | undefined): void {
  if (sv === undefined || sv === '') throw commonErrors.authenticationFailed('sv is mandatory. Cannot be null or empty.');
  const known = SAS_VERSIONS.has(sv) || (/^\d{4}-\d{2}-\d{2}$/.test(sv) && sv > NEWEST_SAS_VERSION && !Number.isNaN(Date.parse(sv)));
  if (!known) throw commonErrors.authenticationFailed(`sv=${sv} is not a version of the storage services (${[...SAS_VERSIONS][0]} or later).`);
}

/** Compares `sig` with the HMAC of `stringToSign` under each of the request's account keys. 403 AuthenticationFailed when none matches. */
export function verifySasSignature(request: StorageRequest, sas: SasParameters, stringToSign: string): void {
  if (!accountKeys(request.account).some((key) => signatureMatches(sign(key, stringToSign), sas.sig))) {
    throw commonErrors.authenticationFailed(`Signature did not match. String to sign used was ${stringToSign.replace(/\n/g, '\\n')}`);
  }
}

/** The request must fall inside [start, expiry) on the service clock; expiry is required. */
export function verifySasWindow(request: StorageRequest, start: string | undefined, expiry: string | undefined): void {
  const startMs = parseDate(start);
  const expiryMs = parseDate(expiry);
  if (expiryMs === undefined) {
    throw commonErrors.authenticationFailed(expiry === undefined ? 'Signed expiry time is missing.' : `Signed expiry time [${expiry}] is not a valid date.`);
  }
  if (start !== undefined && start !== '' && startMs === undefined) {
    throw commonErrors.authenticationFailed(`Signed start time [${start}] is not a valid date.`);
  }
  if ((startMs !== undefined && request.now < startMs) || request.now >= expiryMs) {
    throw commonErrors.authenticationFailed(
      `Signature not valid in the specified time frame: Start [${startMs === undefined ? '' : httpDate(startMs)}] - Expiry [${httpDate(expiryMs)}] - Current [${httpDate(request.now)}]`,
    );
  }
}

/** `spr` (protocols) and `sip` (an address or range) against how the request arrived. */
export function verifySasNetwork(request: StorageRequest, sas: SasParameters): void {
  if (sas.spr !== undefined && sas.spr !== '' && !sas.spr.split(',').includes('http')) throw commonErrors.protocolMismatch();
  if (sas.sip === undefined || sas.sip === '') return;
  const address = (request.raw.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const [low, high = low] = sas.sip.split('-') as [string, string?];
  if (isIP(address) !== 4 || isIP(low) !== 4 || isIP(high) !== 4) throw commonErrors.sourceIpMismatch(address);
  const n = ipv4Number(address);
  if (n < ipv4Number(low) || n > ipv4Number(high)) throw commonErrors.sourceIpMismatch(address);
}

/** Any one of `needed` letters in the granted `sp` permits the operation. */
export function verifySasPermission(granted: string, needed: string): void {
  if (![...needed].some((letter) => granted.includes(letter))) throw commonErrors.permissionMismatch();
}

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}
