import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Azurite, the reference emulator, started inside the test process as an
 * oracle: on a random port, with everything held in memory, no access or
 * debug log, and any `x-ms-version` accepted so the installed SDKs work.
 */

const ACCOUNT = 'devstoreaccount1';
// Azurite's built-in development account key (the well-known public one).
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteService = 'blob' | 'queue' | 'table';

export interface AzuriteOptions {
  /**
   * Loose mode: Azurite ignores headers it does not support (CRC64, customer
   * keys) instead of refusing the request. Off by default, so a scenario that
   * relies on an unsupported feature fails loudly rather than passing vacuously.
   */
  loose?: boolean;
}

export interface RunningAzurite {
  /** Path-style endpoint, `http://127.0.0.1:<port>/devstoreaccount1`. */
  url: string;
  connectionString: string;
  account: { name: string; key: string };
  stop(): Promise<void>;
}

// Azurite ships CommonJS without type declarations; these are the parts used here.
interface AzuriteServer {
  readonly httpServer: Server;
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
}
type ServerClass = new (configuration: unknown) => AzuriteServer;
type ConfigurationClass = new (...args: unknown[]) => unknown;

const require = createRequire(import.meta.url);

function load<T>(path: string): T {
  return (require(`azurite/dist/src/${path}`) as { default: T }).default;
}

/**
 * Loki (Azurite's metadata database) looks for an existing file at its path
 * even in memory mode and would load it; a path inside a folder that is never
 * created keeps every instance empty and leaves nothing in the working directory.
 */
function unusedDatabasePath(name: string): string {
  return join(tmpdir(), `azurite-memory-${randomUUID()}`, `${name}.json`);
}

/** Blob and queue share one configuration shape: metadata and content (extents) databases. */
function extentServiceConfiguration(service: 'blob' | 'queue', configurationClass: string) {
  return (options: AzuriteOptions): unknown => {
    const Configuration = load<ConfigurationClass>(configurationClass);
    const { MemoryExtentChunkStore } = require('azurite/dist/src/common/persistence/MemoryExtentStore') as {
      MemoryExtentChunkStore: new () => unknown;
    };
    // Positional, as the configuration constructors declare them.
    return new Configuration(
      '127.0.0.1', 0, 5, // host, port (random), keep-alive seconds
      unusedDatabasePath(`${service}-metadata`), unusedDatabasePath(`${service}-extents`), [], // no extent folders
      false, undefined, // access log
      false, undefined, // debug log
      options.loose ?? false, true, // loose, skipApiVersionCheck
      '', '', '', undefined, // cert, key, pfx password, oauth
      false, // disableProductStyleUrl
      true, // in-memory persistence
      // A private chunk store: the default one is shared by every in-process
      // Azurite, so one instance's clean-up would drop another's content.
      new MemoryExtentChunkStore(),
    );
  };
}

function tableConfiguration(options: AzuriteOptions): unknown {
  const Configuration = load<ConfigurationClass>('table/TableConfiguration');
  // TableConfiguration orders the log switches differently from blob and queue.
  return new Configuration(
    '127.0.0.1', 0, 5, // host, port (random), keep-alive seconds
    unusedDatabasePath('table-metadata'),
    false, // debug log
    false, undefined, // access log
    undefined, // debug log file
    options.loose ?? false, true, // loose, skipApiVersionCheck
    '', '', '', undefined, // cert, key, pfx password, oauth
    false, // disableProductStyleUrl
    true, // in-memory persistence
  );
}

const SERVICES: Record<AzuriteService, { server: string; configure(options: AzuriteOptions): unknown; endpointKey: string }> = {
  blob: { server: 'blob/BlobServer', configure: extentServiceConfiguration('blob', 'blob/BlobConfiguration'), endpointKey: 'BlobEndpoint' },
  queue: { server: 'queue/QueueServer', configure: extentServiceConfiguration('queue', 'queue/QueueConfiguration'), endpointKey: 'QueueEndpoint' },
  table: { server: 'table/TableServer', configure: tableConfiguration, endpointKey: 'TableEndpoint' },
};

/**
 * Starts one Azurite service in this process.
 *
 * @example
 * const azurite = await startAzurite('blob');
 * const client = BlobServiceClient.fromConnectionString(azurite.connectionString);
 * // ...
 * await azurite.stop();
 */
export async function startAzurite(service: AzuriteService, options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const spec = SERVICES[service];
  const Server = load<ServerClass>(spec.server);
  const server = new Server(spec.configure(options));
  await server.start();
  const { port } = server.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/${ACCOUNT}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};${spec.endpointKey}=${url};`,
    account: { name: ACCOUNT, key: ACCOUNT_KEY },
    stop: () => (stopped ??= shutDown(server)),
  };
}

async function shutDown(server: AzuriteServer): Promise<void> {
  // Azurite's close() asks the HTTP server to stop without waiting for it.
  const closed = new Promise<void>((resolve) => {
    if (server.httpServer.listening) server.httpServer.once('close', () => resolve());
    else resolve();
  });
  await server.close();
  await closed;
  await server.clean();
}
