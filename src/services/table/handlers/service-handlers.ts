import { DISABLED_LOGGING, DISABLED_METRICS, servicePropertiesHandlers } from '../../storage-common/service-properties.js';
import type { XmlNode } from '../../storage-common/xml.js';
import type { TableStore } from '../store.js';

// What Get Table Service Properties answers before anything was set.
const DEFAULT_PROPERTIES: XmlNode = { Logging: DISABLED_LOGGING, HourMetrics: DISABLED_METRICS, MinuteMetrics: DISABLED_METRICS, Cors: {} };

/** Get/Set Table Service Properties and Get Table Service Stats (XML, not OData, as in Azure). */
export function serviceHandlers(store: TableStore) {
  return servicePropertiesHandlers(store, DEFAULT_PROPERTIES);
}
