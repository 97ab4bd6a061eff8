import { isIP } from 'node:net';
import { httpDate, parseDate } from './dates.js';
import type { StorageRequest } from './request.js';
import { accountKey, sign, signatureMatches } from './shared-key.js';
import { commonErrors } from './storage-error.js';

/** The SAS fields of a query string, by their query names (`sv`, `sp`, `se`, ...), raw as signed. */
export type SasParameters = Readonly<Record<string, string | undefined>> & { readonly sig: string };

/** The SAS in a request's query, or undefined when there is no `sig`. */
export function readSas(query: URLSearchParams): SasParameters | undefined {
  const sig = query.get('sig');
  if (sig === null) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of query) fields[name] = value;
  fields.sig = sig;
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

/** Compares `sig` with the HMAC of `stringToSign` under the request's account key. 403 AuthenticationFailed otherwise. */
export function verifySasSignature(request: StorageRequest, sas: SasParameters, stringToSign: string): void {
  const expected = sign(accountKey(request.account), stringToSign);
  if (!signatureMatches(expected, sas.sig)) {
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
