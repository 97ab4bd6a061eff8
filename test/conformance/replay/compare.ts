import type { RecordedEntry } from './recording.js';

export interface Answer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Headers the SDK turns into response fields whose value is the same on any
 * correct server given the same requests (checksums of the same bytes, lease
 * state, tag counts): LocalZure must answer them with Azure's value.
 */
const SAME_VALUE_HEADERS = [
  'content-md5',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-range',
  'x-ms-content-crc64',
  'x-ms-blob-content-md5',
  'x-ms-blob-content-length',
  'x-ms-blob-type',
  'x-ms-blob-sealed',
  'x-ms-lease-state',
  'x-ms-lease-status',
  'x-ms-lease-duration',
  'x-ms-tag-count',
  'x-ms-request-server-encrypted',
  'x-ms-server-encrypted',
  'x-ms-access-tier',
  'x-ms-access-tier-inferred',
  'x-ms-blob-public-access',
  'x-ms-has-immutability-policy',
  'x-ms-has-legal-hold',
  'x-ms-immutable-storage-with-versioning-enabled',
  'x-ms-approximate-messages-count',
  'x-ms-blob-committed-block-count',
  'x-ms-blob-append-offset',
  'x-ms-blob-sequence-number',
  'x-ms-copy-progress',
];

/**
 * Headers the SDK models whose value the server assigns (times, ids) or an
 * account setting decides (`x-ms-delete-type-permanent` is false where
 * versioning or soft delete keeps the blob): LocalZure must send them.
 */
const PRESENT_HEADERS = [
  'etag',
  'last-modified',
  'x-ms-creation-time',
  'x-ms-access-tier-change-time',
  'x-ms-snapshot',
  'x-ms-lease-id',
  'x-ms-copy-id',
  'x-ms-copy-status',
  'x-ms-copy-completion-time',
  'x-ms-delete-type-permanent',
  'x-ms-popreceipt',
  'x-ms-time-next-visible',
  'x-ms-sku-name',
  'x-ms-account-kind',
  'x-ms-is-hns-enabled',
];

/**
 * Body elements that only an account setting or a feature the replay
 * skips puts there: versioning, last-access tracking, soft delete,
 * encryption scopes, immutability.
 */
const SETTING_ELEMENTS = new Set([
  'VersionId',
  'IsCurrentVersion',
  'HasVersionsOnly',
  'LastAccessTime',
  'Deleted',
  'DeletedTime',
  'RemainingRetentionDays',
  'DefaultEncryptionScope',
  'DenyEncryptionScopeOverride',
  'EncryptionScope',
  'ImmutabilityPolicyUntilDate',
  'ImmutabilityPolicyMode',
  'LegalHold',
]);

/** How LocalZure's answer differs from Azure's on what the SDK reads; empty when they agree. */
export function compareAnswers(entry: RecordedEntry, recorded: Answer, local: Answer): string[] {
  const differences: string[] = [];
  if (recorded.status !== local.status) differences.push(`status ${local.status}, Azure ${recorded.status}`);
  const azureCode = recorded.headers['x-ms-error-code'] ?? errorCodeInBody(recorded.body);
  const localCode = local.headers['x-ms-error-code'] ?? errorCodeInBody(local.body);
  if ((azureCode ?? localCode) !== undefined && azureCode !== localCode) differences.push(`error code ${localCode ?? 'none'}, Azure ${azureCode ?? 'none'}`);
  if (differences.length > 0 || recorded.status >= 300) return differences;
  for (const name of SAME_VALUE_HEADERS) {
    const azure = recorded.headers[name];
    if (azure !== undefined && local.headers[name] !== azure) differences.push(`${name}: ${local.headers[name] ?? 'absent'}, Azure ${azure}`);
  }
  for (const name of PRESENT_HEADERS) {
    if (recorded.headers[name] !== undefined && local.headers[name] === undefined) differences.push(`${name} absent`);
  }
  if (entry.RequestMethod === 'GET' && /json/.test(recorded.headers['content-type'] ?? '')) {
    const localNames = jsonNames(local.body);
    for (const name of jsonNames(recorded.body)) if (!localNames.has(name)) differences.push(`"${name}" absent from the body`);
  }
  if (entry.RequestMethod === 'GET' && /xml/.test(recorded.headers['content-type'] ?? '')) {
    const localElements = elementNames(local.body);
    for (const name of elementNames(recorded.body)) {
      if (!SETTING_ELEMENTS.has(name) && !localElements.has(name)) differences.push(`<${name}> absent from the body`);
    }
  }
  return differences;
}

/** Property names of a table entity or table, or of the first item of a `value` list. */
function jsonNames(text: string): Set<string> {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown> & { value?: Array<Record<string, unknown>> };
    return new Set(Object.keys(Array.isArray(parsed.value) ? (parsed.value[0] ?? {}) : parsed));
  } catch {
    return new Set();
  }
}

function elementNames(xml: string): Set<string> {
  return new Set([...xml.matchAll(/<([A-Za-z][\w.-]*)[\s/>]/g)].map((m) => m[1]!));
}

/** Table errors carry their code in the JSON body as well; a 304 carries none. */
function errorCodeInBody(body: string): string | undefined {
  return /"code"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}
