import { commonErrors } from '../storage-common/storage-error.js';

// The one path segment after the account names the resource.
const TABLES = 'Tables';
const BATCH = '$batch';

const TABLE_ADDRESS = /^Tables\('((?:[^']|'')*)'\)$/;
const ENTITY_ADDRESS = /^([^()]+)\(\s*PartitionKey\s*=\s*'((?:[^']|'')*)'\s*,\s*RowKey\s*=\s*'((?:[^']|'')*)'\s*\)$/;
const COLLECTION = /^([^()]+)(?:\(\))?$/;

/**
 * Turns `Tables`, `Tables('t')`, `$batch`, `t`, `t()` and
 * `t(PartitionKey='p',RowKey='r')` into `['Tables']`, `['Tables', 't']`,
 * `['$batch']`, `['t']` and `['t', 'p', 'r']`, so the route table tells them
 * apart by depth and name.
 */
export function splitTablePath(segments: string[]): string[] {
  // A trailing slash (`/account/Tables/`) names the same resource as without it.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments = segments.slice(0, -1);
  if (segments.length === 0) return [];
  if (segments.length > 1) throw commonErrors.invalidUri();
  const [segment] = segments as [string];
  const unquote = (s: string) => s.replace(/''/g, "'");
  let m = TABLE_ADDRESS.exec(segment);
  if (m) return [TABLES, unquote(m[1]!)];
  m = ENTITY_ADDRESS.exec(segment);
  if (m) return [m[1]!, unquote(m[2]!), unquote(m[3]!)];
  m = COLLECTION.exec(segment);
  if (m) return [m[1]!];
  throw commonErrors.invalidUri();
}

export const isTables = (segments: readonly string[]) => segments[0] === TABLES;
export const isBatch = (segments: readonly string[]) => segments[0] === BATCH;
export const isUserTable = (segments: readonly string[]) => !isTables(segments) && !isBatch(segments);

/** Azure's table names: 3-63 letters and digits, starting with a letter; `tables` is reserved. */
export function isValidTableName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name) && name.toLowerCase() !== 'tables';
}
