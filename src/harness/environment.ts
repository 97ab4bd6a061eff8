import type { Namespace } from '../core/namespaces.js';
import type { ServiceEndpoint } from '../core/service.js';
import type { LocalZureRuntime } from '../runtime/runtime.js';

/**
 * What tests need to reach the emulators. Plain JSON, so it crosses into
 * worker processes (vitest `provide`/`inject`, jest globals, env vars).
 */
export interface Environment {
  /** Started services in start order, dependencies included. */
  services: string[];
  /** Base URL of the control API, e.g. `http://127.0.0.1:53211`. */
  controlUrl: string;
  account: { name: string; key: string };
  /** Per service, the URL clients use, e.g. `http://127.0.0.1:53123/devstoreaccount1`. */
  endpoints: { blob?: string; queue?: string; table?: string; [service: string]: string | undefined };
  /** Accepted by `BlobServiceClient.fromConnectionString` and its queue and table siblings. */
  connectionString: string;
  /** Per service with an SDK of its own, its connection string, e.g. `servicebus` → `Endpoint=sb://...;UseDevelopmentEmulator=true;`. */
  connectionStrings: Record<string, string>;
  /** `AZURE_STORAGE_CONNECTION_STRING`, `LOCALZURE_CONTROL_URL`, one `LOCALZURE_<SERVICE>_ENDPOINT` per service, `LOCALZURE_<SERVICE>_CONNECTION_STRING` per entry of `connectionStrings`, and what services add (e.g. `NODE_EXTRA_CA_CERTS`). */
  env: Record<string, string>;
}

/**
 * Describes a running runtime as seen from one namespace (the default account
 * when absent); `endpoints` replaces what its services answer, e.g. to hand
 * out the Azurite container as blob, queue and table.
 */
export function buildEnvironment(
  runtime: LocalZureRuntime,
  namespace: Namespace = runtime.account,
  endpoints: Record<string, ServiceEndpoint> = runtime.endpoints(namespace),
): Environment {
  return environmentFor({
    services: runtime.services,
    controlUrl: runtime.controlUrl,
    account: namespace,
    endpoints: Object.fromEntries(Object.entries(endpoints).map(([name, e]) => [name, e.url])),
    connectionStringKeys: Object.fromEntries(
      Object.entries(endpoints)
        .filter(([, e]) => e.connectionStringKey)
        .map(([name, e]) => [name, e.connectionStringKey!]),
    ),
    connectionStrings: Object.fromEntries(
      Object.entries(endpoints)
        .filter(([, e]) => e.connectionString)
        .map(([name, e]) => [name, e.connectionString!]),
    ),
    extraEnv: Object.assign(
      runtime.controlToken === undefined ? {} : { LOCALZURE_CONTROL_TOKEN: runtime.controlToken },
      ...Object.values(endpoints).map((e) => e.env ?? {}),
    ) as Record<string, string>,
  });
}

/**
 * Rebuilds an Environment for another account on the same emulators: the
 * endpoints keep their host and port and swap the account path segment.
 */
export function environmentForAccount(base: Environment, account: Namespace): Environment {
  const endpoints: Record<string, string> = {};
  for (const [name, url] of Object.entries(base.endpoints)) {
    if (url) endpoints[name] = url.endsWith(`/${base.account.name}`) ? `${url.slice(0, -base.account.name.length)}${account.name}` : url;
  }
  return environmentFor({
    services: base.services,
    controlUrl: base.controlUrl,
    account,
    endpoints,
    connectionStringKeys: STORAGE_KEYS,
    connectionStrings: Object.fromEntries(Object.entries(base.connectionStrings).map(([name, value]) => [name, forAccount(value, base.account, account)])),
    extraEnv: base.env,
  });
}

/**
 * A service's connection string for another namespace: in-process messaging
 * services name the namespace's SAS rule after it (`SharedAccessKeyName=<namespace>`),
 * so the worker's namespace and key replace the base ones. Strings that do not
 * carry the base namespace (a container's fixed key) stay as they are.
 */
function forAccount(connectionString: string, base: Namespace, account: Namespace): string {
  return connectionString.replace(
    `SharedAccessKeyName=${base.name};SharedAccessKey=${base.key}`,
    `SharedAccessKeyName=${account.name};SharedAccessKey=${account.key}`,
  );
}

/** Each storage service's key in an Azure storage connection string. */
export const STORAGE_KEYS: Record<string, string> = { blob: 'BlobEndpoint', queue: 'QueueEndpoint', table: 'TableEndpoint' };

function environmentFor(parts: {
  services: string[];
  controlUrl: string;
  account: Namespace;
  endpoints: Record<string, string>;
  connectionStringKeys: Record<string, string>;
  connectionStrings: Record<string, string>;
  /** Variables kept unless recomputed here. */
  extraEnv: Record<string, string>;
}): Environment {
  const { account, endpoints } = parts;
  const connectionString = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${account.name}`,
    `AccountKey=${account.key}`,
    ...Object.entries(parts.connectionStringKeys)
      .filter(([name]) => endpoints[name])
      .map(([name, key]) => `${key}=${endpoints[name]}`),
  ].join(';') + ';';
  const env: Record<string, string> = {
    ...parts.extraEnv,
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    AZURE_STORAGE_ACCOUNT: account.name,
    AZURE_STORAGE_KEY: account.key,
    LOCALZURE_CONTROL_URL: parts.controlUrl,
    LOCALZURE_ACCOUNT_NAME: account.name,
    LOCALZURE_ACCOUNT_KEY: account.key,
  };
  for (const [name, url] of Object.entries(endpoints)) {
    env[`LOCALZURE_${envName(name)}_ENDPOINT`] = url;
  }
  for (const [name, value] of Object.entries(parts.connectionStrings)) {
    env[`LOCALZURE_${envName(name)}_CONNECTION_STRING`] = value;
  }
  return {
    services: [...parts.services],
    controlUrl: parts.controlUrl,
    account: { name: account.name, key: account.key },
    endpoints,
    connectionString,
    connectionStrings: { ...parts.connectionStrings },
    env,
  };
}

function envName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
