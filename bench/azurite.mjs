// Azurite started in this process, the way test/support/azurite.ts does it
// (in memory, no logs, skipApiVersionCheck), plus the restart-on-the-same-port
// reset the benchmark compares against. Plain JS so bench processes and the
// generated vitest suite can import it without a TypeScript loader.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export const ACCOUNT = 'devstoreaccount1';
// Azurite's built-in development account key (the well-known public one).
export const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const load = (path) => require(`azurite/dist/src/${path}`).default;

// Loki looks for an existing file at its path even in memory mode; a path in a
// folder that never exists keeps every instance empty.
const unusedDatabasePath = (name) => join(tmpdir(), `azurite-memory-${randomUUID()}`, `${name}.json`);

function extentConfiguration(service, configurationClass) {
  return (port) => {
    const Configuration = load(configurationClass);
    const { MemoryExtentChunkStore } = require('azurite/dist/src/common/persistence/MemoryExtentStore');
    return new Configuration(
      '127.0.0.1', port, 5,
      unusedDatabasePath(`${service}-metadata`), unusedDatabasePath(`${service}-extents`), [],
      false, undefined, // access log
      false, undefined, // debug log
      false, true, // loose, skipApiVersionCheck
      '', '', '', undefined,
      false, // disableProductStyleUrl
      true, // in-memory persistence
      new MemoryExtentChunkStore(), // private: the default store is shared by every in-process Azurite
    );
  };
}

function tableConfiguration(port) {
  const Configuration = load('table/TableConfiguration');
  return new Configuration(
    '127.0.0.1', port, 5,
    unusedDatabasePath('table-metadata'),
    false, // debug log
    false, undefined, // access log
    undefined,
    false, true, // loose, skipApiVersionCheck
    '', '', '', undefined,
    false, // disableProductStyleUrl
    true, // in-memory persistence
  );
}

const SERVICES = {
  blob: { server: 'blob/BlobServer', configure: extentConfiguration('blob', 'blob/BlobConfiguration'), endpointKey: 'BlobEndpoint' },
  queue: { server: 'queue/QueueServer', configure: extentConfiguration('queue', 'queue/QueueConfiguration'), endpointKey: 'QueueEndpoint' },
  table: { server: 'table/TableServer', configure: tableConfiguration, endpointKey: 'TableEndpoint' },
};

async function listen(service, port) {
  const spec = SERVICES[service];
  const Server = load(spec.server);
  const server = new Server(spec.configure(port));
  await server.start();
  return server;
}

async function shutDown(server) {
  // close() asks the HTTP server to stop without waiting for it.
  const closed = new Promise((resolve) => {
    if (server.httpServer.listening) server.httpServer.once('close', resolve);
    else resolve();
  });
  await server.close();
  await closed;
  await server.clean();
}

/**
 * Starts one Azurite service on a random port. `restart()` is the fastest
 * known way to empty it: close, clean, and start a new server on the same port.
 */
export async function startAzurite(service) {
  let server = await listen(service, 0);
  const { port } = server.httpServer.address();
  const url = `http://127.0.0.1:${port}/${ACCOUNT}`;
  return {
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};${SERVICES[service].endpointKey}=${url};`,
    async restart() {
      await shutDown(server);
      server = await listen(service, port);
    },
    stop: () => shutDown(server),
  };
}
