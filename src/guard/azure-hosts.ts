/**
 * Domains of Azure's public cloud APIs: storage (`*.core.windows.net`),
 * Service Bus and Event Hubs (`*.servicebus.windows.net`), SQL, Cosmos DB
 * and management (`*.azure.com`), Key Vault and friends (`*.azure.net`),
 * IoT Hub (`*.azure-devices.net`) and sign-in (`login.microsoftonline.com`).
 */
export const AZURE_DOMAINS = ['windows.net', 'azure.com', 'azure.net', 'azure-devices.net', 'microsoftonline.com'] as const;

export function isAzureHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return AZURE_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The storage service of a production URL host, e.g. `myaccount.blob.core.windows.net`. */
export interface ProductionStorageHost {
  account: string;
  service: 'blob' | 'queue' | 'table';
}

const STORAGE_HOST = /^([a-z0-9]{3,24})\.(blob|queue|table)\.core\.windows\.net$/;

/** Matches nock's `<protocol>://<host>:<port>` origin key for a production storage host, the ones `redirect` serves. */
export const STORAGE_ORIGIN = /^https?:\/\/[a-z0-9]{3,24}\.(blob|queue|table)\.core\.windows\.net(:\d+)?$/i;

export function productionStorageHost(hostname: string): ProductionStorageHost | undefined {
  const match = STORAGE_HOST.exec(hostname.toLowerCase());
  return match ? { account: match[1]!, service: match[2] as ProductionStorageHost['service'] } : undefined;
}

// Which LocalZure service stands in for an Azure host, to say what to use instead.
const STAND_INS: [RegExp, string][] = [
  [/\.blob\.core\.windows\.net$/, 'blob'],
  [/\.queue\.core\.windows\.net$/, 'queue'],
  [/\.table\.core\.windows\.net$/, 'table'],
  [/\.servicebus\.windows\.net$/, 'servicebus'],
  [/\.documents\.azure\.com$/, 'cosmosdb'],
];

/** The LocalZure service that emulates what `hostname` serves, if there is one. */
export function standInService(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  return STAND_INS.find(([pattern]) => pattern.test(host))?.[1];
}
