import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { startHost } from '../hosts.mjs';
import { alternate } from '../stats.mjs';

const LOADER = fileURLToPath(new URL('../load.mjs', import.meta.url));
const run = promisify(execFile);
const CONNECTIONS = 16;
const BODY = Buffer.alloc(1024, 'c');

/** A container with a 1 KiB `target` blob, and a SAS for it. */
async function prepare(host) {
  const container = BlobServiceClient.fromConnectionString(host.connectionString).getContainerClient('load');
  await container.create();
  await container.getBlockBlobClient('target').upload(BODY, BODY.length);
  const sas = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse('racw'), expiresOn: new Date(Date.now() + 2 * 3600_000) });
  return { base: sas.split('?')[0], query: sas.split('?')[1] };
}

/** Raw server capacity: keep-alive SAS-authenticated 1 KiB PUT/GET from a second process, 16 connections. */
export default async function capacity({ rounds, quick, row }) {
  const timing = quick ? { warmupMs: 500, durationMs: 2000 } : { warmupMs: 1000, durationMs: 4000 };
  const rows = {
    PUT: row('capacity.put', { title: `Server capacity: 1 KiB PUT, ${CONNECTIONS} keep-alive connections`, unit: 'req/s', better: 'higher', target: 10 }),
    GET: row('capacity.get', { title: `Server capacity: 1 KiB GET, ${CONNECTIONS} keep-alive connections`, unit: 'req/s', better: 'higher', target: 10 }),
  };
  rows.PUT.note('The floor is what one Node load-generator process reaches against a bare node:http server while both share this machine\'s cores, so it understates a bare server\'s real capacity; the ratios to it are upper bounds.');
  const hosts = {};
  try {
    for (const kind of ['localzure', 'azurite', 'floor']) hosts[kind] = await startHost(kind, 'blob');
    const targets = {
      localzure: await prepare(hosts.localzure),
      azurite: await prepare(hosts.azurite),
    };
    // Same path and query bytes as LocalZure's; the floor ignores them.
    targets.floor = { ...targets.localzure, base: `${hosts.floor.url}/load` };
    await alternate(
      Object.keys(targets),
      rounds,
      async (side) => {
        for (const method of ['PUT', 'GET']) {
          const options = { ...targets[side], method, connections: CONNECTIONS, ...timing };
          const { stdout } = await run(process.execPath, [LOADER, JSON.stringify(options)], { timeout: 60_000 });
          const result = JSON.parse(stdout);
          const failed = result.errors + Object.entries(result.statuses).reduce((n, [status, count]) => n + (status >= 300 ? count : 0), 0);
          if (failed > 0) throw new Error(`${side} ${method}: ${failed} failed requests ${JSON.stringify(result)}`);
          if (side === 'floor') rows[method].addFloor(result.rps);
          else rows[method].add(side, result.rps);
        }
      },
      { warmup: false },
    );
  } finally {
    await Promise.all(Object.values(hosts).map((host) => host.stop()));
  }
}
