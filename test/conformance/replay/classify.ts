import { header, type RecordedEntry, type Recording } from './recording.js';

/**
 * Why a recorded entry is not compared. Each reason names an account
 * setting, a credential or a feature the recording depends on and an
 * emulator account cannot reproduce: LocalZure's answer would differ from
 * Azure's for a reason that is not a bug.
 */
export type SkipReason =
  | 'oauth'
  | 'sas'
  | 'versioning'
  | 'soft-delete'
  | 'immutability'
  | 'customer-provided-key'
  | 'encryption-scope'
  | 'geo'
  | 'premium'
  | 'blob-query'
  | 'change-feed'
  | 'source-outside-account'
  | 'sanitized-value'
  | 'account-state'
  | 'client-side'
  | 'after-skipped-write';

/** Whole recordings whose name says what they exercise (the recorder sanitizes the Authorization header itself). */
const RECORDING_RULES: Array<[RegExp, SkipReason]> = [
  [/bearer|token_?credential|oauth|audience|user_?delegation/i, 'oauth'],
  [/sas|shared_access/i, 'sas'],
  [/versioning|versionid|version_id/i, 'versioning'],
  [/soft_?delete|undelete|restore|deleted/i, 'soft-delete'],
  [/immutab|legal_?hold/i, 'immutability'],
  [/cpk|customer_provided/i, 'customer-provided-key'],
  [/encryption_?scope/i, 'encryption-scope'],
  [/secondary|geo|statistics|getstatistics/i, 'geo'],
  [/premium|p10|p20/i, 'premium'],
  [/changefeed/i, 'change-feed'],
  [/query_/i, 'blob-query'],
  [/\/aborter\/|throws_error_if_constructor/i, 'client-side'],
];

/**
 * The service properties a recording reads before it sets them are what
 * earlier runs left on the recorded account, not anything the recording did.
 */
export class AccountState {
  private readonly propertiesSet = new Set<string>();

  skipReason(entry: RecordedEntry): SkipReason | undefined {
    const url = new URL(entry.RequestUri);
    if (url.searchParams.get('restype') !== 'service' || url.searchParams.get('comp') !== 'properties') return undefined;
    if (entry.RequestMethod === 'PUT') this.propertiesSet.add(url.hostname);
    return entry.RequestMethod === 'GET' && !this.propertiesSet.has(url.hostname) ? 'account-state' : undefined;
  }
}

export function recordingSkipReason(recording: Recording): SkipReason | undefined {
  return RECORDING_RULES.find(([pattern]) => pattern.test(recording.name))?.[1];
}

const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE', 'PATCH', 'MERGE']);

/** Whether an entry changed state at Azure, so later entries of the recording depend on it. */
export function isSuccessfulWrite(entry: RecordedEntry): boolean {
  return WRITE_METHODS.has(entry.RequestMethod) && entry.StatusCode < 300;
}

/** Lease ids are sanitized to one placeholder, so a recorded mismatch cannot be told from a match. */
const LEASE_MISMATCH = /^LeaseIdMismatch/;

export function entrySkipReason(entry: RecordedEntry): SkipReason | undefined {
  const url = new URL(entry.RequestUri);
  const account = url.hostname.split('.')[0];
  const query = url.searchParams;
  const headerNames = Object.keys(entry.RequestHeaders).map((name) => name.toLowerCase());
  const has = (name: string): boolean => headerNames.includes(name);
  if (url.hostname.includes('-secondary.') || query.get('comp') === 'stats') return 'geo';
  // A SAS the recorded test was refused with says something about the SAS; one it was let in with says nothing.
  if (query.has('sig') && entry.StatusCode === 403) return 'sas';
  if (query.get('comp') === 'userdelegationkey') return 'oauth';
  if (query.has('versionid') || /versions/.test(query.get('include') ?? '')) return 'versioning';
  if (query.get('comp') === 'undelete' || query.has('deletetype')) return 'soft-delete';
  if (query.get('comp') === 'immutabilityPolicies' || query.get('comp') === 'legalhold' || has('x-ms-immutability-policy-until-date') || has('x-ms-legal-hold')) {
    return 'immutability';
  }
  if (query.get('comp') === 'query') return 'blob-query';
  if (has('x-ms-encryption-key') || has('x-ms-source-encryption-key')) return 'customer-provided-key';
  if (has('x-ms-encryption-scope') || has('x-ms-default-encryption-scope')) return 'encryption-scope';
  if (/^P\d+$/.test(header(entry.RequestHeaders, 'x-ms-access-tier') ?? '')) return 'premium';
  if (has('x-ms-copy-source-authorization')) return 'oauth';
  const source = header(entry.RequestHeaders, 'x-ms-copy-source');
  if (source && new URL(source).hostname !== `${account}.blob.core.windows.net`) return 'source-outside-account';
  const leaseId = header(entry.RequestHeaders, 'x-ms-lease-id');
  const code = header(entry.ResponseHeaders, 'x-ms-error-code') ?? '';
  if (leaseId !== undefined && LEASE_MISMATCH.test(code)) return 'sanitized-value';
  return undefined;
}
