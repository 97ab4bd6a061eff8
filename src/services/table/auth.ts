import { authorizeRequest, sasTerms, type ServiceSasGrant } from '../storage-common/authorize.js';
import type { StorageRequest } from '../storage-common/request.js';
import { isAccountSas, readSas, type SasParameters } from '../storage-common/sas.js';
import { commonErrors } from '../storage-common/storage-error.js';
import { tableSharedKey } from '../storage-common/table-shared-key.js';
import type { EntityKeys } from './entity.js';
import { isUserTable } from './resource.js';
import type { TableStore } from './store.js';

/** What a table route asks of the caller's credentials. */
export interface TableAccess {
  /** Account SAS resource type: s(ervice), c(table), o(entity). */
  level: 's' | 'c' | 'o';
  /** SAS permission letters of which any one grants the operation (r query, a add, u update, d delete; l, c, w for an account SAS). */
  permissions: string;
}

/** Each operation's needs; one table, shared by the route table and the batch, so both judge alike. */
export const ACCESS = {
  serviceProperties: { level: 's', permissions: 'r' },
  setServiceProperties: { level: 's', permissions: 'w' },
  queryTables: { level: 's', permissions: 'l' },
  createTable: { level: 'c', permissions: 'cw' },
  deleteTable: { level: 'c', permissions: 'd' },
  getAcl: { level: 'c', permissions: 'r' },
  setAcl: { level: 'c', permissions: 'w' },
  queryEntities: { level: 'o', permissions: 'r' },
  insert: { level: 'o', permissions: 'aw' },
  update: { level: 'o', permissions: 'uw' },
  upsert: { level: 'o', permissions: 'auw' },
  deleteEntity: { level: 'o', permissions: 'd' },
  batch: { level: 'o', permissions: 'raudw' },
} as const satisfies Record<string, TableAccess>;

export type TableAuthorizer = (request: StorageRequest, route: { access: TableAccess }) => void;

/** Shared Key (table flavour, and Lite), account SAS, and table SAS with stored access policies. */
export function tableAuthorizer(store: TableStore): TableAuthorizer {
  return (request, route) =>
    authorizeRequest(request, {
      sharedKey: tableSharedKey,
      needs: { service: 't', resourceType: route.access.level, permissions: route.access.permissions },
      servicePermissions: 'raud',
      serviceSas: (req, sas) => tableSasGrant(store, req, sas, route.access),
      anonymous: () => {
        throw commonErrors.noAuthenticationInformation();
      },
    });
}

/**
 * Authorizes one operation of a batch. The batch itself was authorized as a
 * whole; a Shared Key signature covers every operation in it, a SAS must
 * also cover each operation's table and permission.
 */
export function authorizeBatchOperation(authorize: TableAuthorizer, batch: StorageRequest, table: string, access: TableAccess): void {
  if (batch.header('authorization') !== undefined) return;
  authorize({ ...batch, segments: [table] }, { access });
}

function tableSasGrant(store: TableStore, request: StorageRequest, sas: SasParameters, access: TableAccess): ServiceSasGrant {
  if (access.level !== 'o' || sas.tn === undefined) throw commonErrors.authorizationFailure();
  const table = request.segments[0];
  // A batch names no table in its path; each of its operations is checked against `tn`.
  if (table !== undefined && isUserTable(request.segments) && table.toLowerCase() !== sas.tn.toLowerCase()) {
    throw commonErrors.authorizationFailure();
  }
  const policy = sas.si === undefined ? undefined : store.findTable(request.account.name, sas.tn)?.signedIdentifiers.find((s) => s.id === sas.si);
  if (sas.si !== undefined && !policy) throw commonErrors.authenticationFailed(`The signed identifier "${sas.si}" is not a stored access policy of the table.`);
  const v = (name: string) => sas[name] ?? '';
  const canonical = `/table/${request.account.name}/${sas.tn.toLowerCase()}`;
  const ranges = [v('spk'), v('srk'), v('epk'), v('erk')];
  // Version 2015-04-05 added the IP and protocol lines.
  const fields =
    v('sv') >= '2015-04-05'
      ? [v('sp'), v('st'), v('se'), canonical, v('si'), v('sip'), v('spr'), v('sv'), ...ranges]
      : [v('sp'), v('st'), v('se'), canonical, v('si'), v('sv'), ...ranges];
  return {
    stringToSign: fields.join('\n'),
    ...sasTerms(sas, policy),
  };
}

/** The partition/row key range a table SAS limits the caller to; undefined when the request has none. */
export interface KeyRange {
  startPartitionKey?: string;
  startRowKey?: string;
  endPartitionKey?: string;
  endRowKey?: string;
}

export function keyRangeOf(query: URLSearchParams): KeyRange | undefined {
  const sas = readSas(query);
  if (!sas || isAccountSas(sas)) return undefined;
  const range: KeyRange = { startPartitionKey: sas.spk, startRowKey: sas.srk, endPartitionKey: sas.epk, endRowKey: sas.erk };
  return Object.values(range).some((v) => v !== undefined) ? range : undefined;
}

/** Whether the keys fall inside the range: (spk, srk) <= (pk, rk) <= (epk, erk), a missing bound open. */
export function inKeyRange(range: KeyRange | undefined, keys: EntityKeys): boolean {
  if (!range) return true;
  const { partitionKey: pk, rowKey: rk } = keys;
  if (range.startPartitionKey !== undefined) {
    if (pk < range.startPartitionKey) return false;
    if (pk === range.startPartitionKey && range.startRowKey !== undefined && rk < range.startRowKey) return false;
  }
  if (range.endPartitionKey !== undefined) {
    if (pk > range.endPartitionKey) return false;
    if (pk === range.endPartitionKey && range.endRowKey !== undefined && rk > range.endRowKey) return false;
  }
  return true;
}

/** Refuses an operation on keys outside the SAS range, as Azure does (403 AuthorizationFailure). */
export function assertInKeyRange(range: KeyRange | undefined, keys: EntityKeys): void {
  if (!inKeyRange(range, keys)) throw commonErrors.authorizationFailure();
}
