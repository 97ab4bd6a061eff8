import type { StorageResponse } from './response.js';
import { StorageError } from './storage-error.js';
import { asArray } from './xml.js';

// CORS of the storage services, from the `<Cors>` element of their service
// properties: preflight OPTIONS answers and the headers of ordinary answers.
// https://learn.microsoft.com/rest/api/storageservices/cross-origin-resource-sharing--cors--support-for-the-azure-storage-services

/** One `<CorsRule>`: comma-separated lists, as Set Service Properties stored them. */
export interface CorsRule {
  allowedOrigins: string;
  allowedMethods: string;
  allowedHeaders: string;
  exposedHeaders: string;
  maxAgeInSeconds: string;
}

/** Where a dispatcher finds an account's CORS rules: the service's own stored service properties. */
export type CorsRules = (account: string) => CorsRule[];

const corsHeaderMissing = (header: string) =>
  new StorageError(400, 'InvalidHeaderValue', 'A required CORS header is not present.', { HeaderName: header });

const corsPreflightFailure = () => new StorageError(403, 'CorsPreflightFailure', 'CORS not enabled or no matching rule found for this request.');

/** The rules of stored service properties (`{ Cors: { CorsRule } }` as parsed from XML). */
export function corsRulesOf(properties: Record<string, unknown>): CorsRule[] {
  const cors = properties.Cors;
  if (typeof cors !== 'object' || cors === null) return [];
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return asArray((cors as { CorsRule?: unknown }).CorsRule).map((rule) => {
    const r = rule as Record<string, unknown>;
    return {
      allowedOrigins: text(r.AllowedOrigins),
      allowedMethods: text(r.AllowedMethods),
      allowedHeaders: text(r.AllowedHeaders),
      exposedHeaders: text(r.ExposedHeaders),
      maxAgeInSeconds: text(r.MaxAgeInSeconds),
    };
  });
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');

/** An allowed origin is `*`, an exact origin (any case), or a pattern with `*` wildcards. */
function originAllowed(origin: string, rule: CorsRule): boolean {
  const wanted = origin.trim().toLowerCase();
  return list(rule.allowedOrigins).some((allowed) => allowed === '*' || allowed === wanted || (allowed.includes('*') && wildcard(allowed).test(wanted)));
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

const methodAllowed = (method: string, rule: CorsRule) => list(rule.allowedMethods).includes(method.trim().toLowerCase());

/** Every requested header is allowed by name or by a `prefix*` rule. */
function headersAllowed(requested: string, rule: CorsRule): boolean {
  const allowed = list(rule.allowedHeaders);
  return list(requested).every((header) => allowed.some((a) => a === header || a === '*' || (a.endsWith('*') && header.startsWith(a.slice(0, -1)))));
}

/**
 * Answers a preflight `OPTIONS` from the first rule that allows its origin,
 * method and headers. Preflights carry no credentials, so they are not authorized.
 */
export function preflightResponse(rules: CorsRule[], header: (name: string) => string | undefined): StorageResponse {
  const origin = header('origin');
  if (origin === undefined) throw corsHeaderMissing('Origin');
  const method = header('access-control-request-method');
  if (method === undefined) throw corsHeaderMissing('Access-Control-Request-Method');
  const requestedHeaders = header('access-control-request-headers');
  const rule = rules.find((r) => originAllowed(origin, r) && methodAllowed(method, r) && (requestedHeaders === undefined || headersAllowed(requestedHeaders, r)));
  if (!rule) throw corsPreflightFailure();
  return {
    status: 200,
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': method,
      'Access-Control-Allow-Headers': requestedHeaders,
      'Access-Control-Max-Age': rule.maxAgeInSeconds,
      'Access-Control-Allow-Credentials': 'true',
    },
  };
}

/**
 * The CORS headers of an ordinary answer to a request with an `Origin`: the
 * first rule allowing origin and method decides; `responseHeaders` are the
 * names the answer carries, exposed where the rule's ExposedHeaders name them.
 * A service with rules that none matched still answers `Vary: Origin`.
 */
export function corsResponseHeaders(rules: CorsRule[], origin: string, method: string, responseHeaders: readonly string[]): Record<string, string> {
  const rule = rules.find((r) => originAllowed(origin, r) && methodAllowed(method, r));
  if (!rule) return rules.length > 0 ? { Vary: 'Origin' } : {};
  const anyOrigin = list(rule.allowedOrigins).includes('*');
  return {
    'Access-Control-Allow-Origin': anyOrigin ? '*' : origin,
    'Access-Control-Expose-Headers': exposedHeaders(rule, responseHeaders).join(','),
    ...(anyOrigin ? {} : { Vary: 'Origin', 'Access-Control-Allow-Credentials': 'true' }),
  };
}

/** Response headers named by the rule (or matching a `prefix*` of it), then the rule's other plain names. */
function exposedHeaders(rule: CorsRule, responseHeaders: readonly string[]): string[] {
  const rules = rule.exposedHeaders
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const prefixes = rules.filter((r) => r.endsWith('*')).map((r) => r.slice(0, -1).toLowerCase());
  const names = rules.filter((r) => !r.endsWith('*'));
  const exposed = responseHeaders.filter((h) => prefixes.some((p) => h.toLowerCase().startsWith(p)) || names.some((n) => n.toLowerCase() === h.toLowerCase()));
  for (const name of names) if (!exposed.some((h) => h.toLowerCase() === name.toLowerCase())) exposed.push(name);
  return exposed;
}
