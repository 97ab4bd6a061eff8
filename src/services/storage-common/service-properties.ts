import { receiveText } from './body.js';
import { httpDate } from './dates.js';
import type { StorageRequest } from './request.js';
import type { StorageResponse } from './response.js';
import { commonErrors } from './storage-error.js';
import { parseXml, toXml, type XmlNode } from './xml.js';

/** Logging and metrics switched off: what a fresh account reports. */
export const DISABLED_LOGGING: XmlNode = { Version: '1.0', Delete: false, Read: false, Write: false, RetentionPolicy: { Enabled: false } };
export const DISABLED_METRICS: XmlNode = { Version: '1.0', Enabled: false, RetentionPolicy: { Enabled: false } };

/** The `<StorageServiceProperties>` answer: what was set over the service's defaults. */
export function servicePropertiesResponse(defaults: XmlNode, stored: Record<string, unknown>): StorageResponse {
  const body = toXml({ StorageServiceProperties: { ...defaults, ...(stored as XmlNode) } });
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
}

/**
 * Reads a Set Service Properties body and merges the elements the service
 * knows (`settable`) over `stored`: elements left out keep their values, as Azure does.
 */
export async function mergedServiceProperties(request: StorageRequest, settable: readonly string[], stored: Record<string, unknown>): Promise<Record<string, unknown>> {
  const parsed = parseXml(await receiveText(request.raw)).StorageServiceProperties;
  if (typeof parsed !== 'object' || parsed === null) throw commonErrors.invalidXmlDocument();
  const given = Object.fromEntries(Object.entries(parsed).filter(([name]) => settable.includes(name)));
  return { ...stored, ...given };
}

/**
 * Get Service Stats, which Azure answers on the secondary endpoint only
 * (`<account>-secondary`): the emulated secondary is always live and current.
 */
export function serviceStatsResponse(request: StorageRequest): StorageResponse {
  if (!request.secondary) throw commonErrors.invalidQueryParameterValue('comp', 'stats', 'Get Service Stats is only answered on the secondary endpoint, <account>-secondary.');
  const body = toXml({ StorageServiceStats: { GeoReplication: { Status: 'live', LastSyncTime: httpDate(request.now) } } });
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body };
}

/** Where a service keeps each account's service properties. */
export interface ServicePropertiesStore {
  serviceProperties(account: string): Record<string, unknown>;
  setServiceProperties(account: string, properties: Record<string, unknown>): void;
}

/**
 * Get and Set Service Properties and Get Service Stats of one service:
 * `defaults` answer what was never set, `settable` names the elements Set accepts.
 */
export function servicePropertiesHandlers(store: ServicePropertiesStore, defaults: XmlNode, settable: readonly string[] = Object.keys(defaults)) {
  return {
    getProperties(request: StorageRequest): StorageResponse {
      return servicePropertiesResponse(defaults, store.serviceProperties(request.account.name));
    },

    async setProperties(request: StorageRequest): Promise<StorageResponse> {
      const account = request.account.name;
      store.setServiceProperties(account, await mergedServiceProperties(request, settable, store.serviceProperties(account)));
      return { status: 202 };
    },

    getStatistics: serviceStatsResponse,
  };
}
