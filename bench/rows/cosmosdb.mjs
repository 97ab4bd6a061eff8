import { execFile, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CosmosClient } from '@azure/cosmos';
import { packageDir } from '../package.mjs';
import { alternate, pooled, time } from '../stats.mjs';

const CHILD = fileURLToPath(new URL('../cosmos-child.mjs', import.meta.url));
const HOST = fileURLToPath(new URL('../cosmos-host.mjs', import.meta.url));
const run = promisify(execFile);
// The rows compare with @vercel/cosmosdb-server; the table's baseline column carries it.
const SIDES = { localzure: 'localzure', vercel: 'azurite' };
const BASELINE = 'Baseline: @vercel/cosmosdb-server (HTTP) in the "Azurite" column; each server in a process of its own, the same SDK client in the bench process.';

/** Starts an emulator in its own process and a client for it here; `reset()` times a reset inside the emulator. */
async function start(kind) {
  const child = fork(HOST, [kind], { cwd: packageDir(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} cosmos host exited with ${code}`)));
  });
  const client = new CosmosClient({ endpoint: ready.endpoint, key: ready.key, ...(kind === 'vercel' ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}) });
  return {
    client,
    reset: () => new Promise((resolve) => {
      child.once('message', (m) => resolve(m.ms));
      child.send({ cmd: 'reset', id: 1 });
    }),
    stop: async () => {
      client.dispose();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ cmd: 'stop' });
      await exited;
    },
  };
}


async function container(client, id) {
  const { database } = await client.databases.createIfNotExists({ id: 'bench' });
  return (await database.containers.createIfNotExists({ id, partitionKey: { paths: ['/pk'] } })).container;
}

/** Cosmos DB against @vercel/cosmosdb-server: cold start, point writes and reads, a filtered query over 10,000 items, reset. */
export default async function cosmosdb({ rounds, quick, row }) {
  const startup = row('cosmos.startup', { title: 'Cosmos DB start-up: emulator load + start', unit: 'ms', better: 'lower', target: 10 });
  // The floor bounds the ratio these rows can show; there is no share of it to reach.
  const floor = { floorName: 'canned-answer server', floorAim: undefined, baselineName: '@vercel/cosmosdb-server' };
  const writes = row('cosmos.write', { title: 'Cosmos DB point writes (create, 8 in flight)', unit: 'ops/s', better: 'higher', target: 2, ...floor });
  const reads = row('cosmos.read', { title: 'Cosmos DB point reads (8 in flight)', unit: 'ops/s', better: 'higher', target: 2, ...floor });
  const items = quick ? 2_000 : 10_000;
  const query = row('cosmos.query', { title: `Cosmos DB filtered query over ${items} items, fetchAll`, unit: 'ms', better: 'lower', target: 2 });
  const reset = row('cosmos.reset', { title: `Cosmos DB reset of a container with ${items} items, inside the emulator`, unit: 'ms', better: 'lower', limit: 1 });
  startup.note(`${BASELINE} Start-up runs each in a fresh process: LocalZure's CosmosDbService against createHttpServer, each imported and listening; the SDK import is not counted.`);
  for (const r of [writes, reads]) {
    r.note('The floor: a node:http server in a process of its own answering each request with fixed bytes shaped like the emulator\'s answers (same headers, an item of the same size), doing no work. The SDK client runs on one thread and is the busier end against every server, so the floor over the baseline is the most any server can show in this row.');
  }
  reset.note('LocalZure only: @vercel/cosmosdb-server has no reset; its users restart it or delete databases.');

  await alternate(['localzure', 'vercel'], rounds, async (side, round) => {
    const { stdout } = await run(process.execPath, [CHILD, side], { cwd: packageDir(), timeout: 60_000 });
    if (round >= 0) startup.add(SIDES[side], JSON.parse(stdout.trim().split('\n').at(-1)).ownMs);
  });

  const ops = quick ? 300 : 2_000;
  await alternate(['localzure', 'vercel', 'floor'], rounds, async (side, round) => {
    const server = await start(side);
    try {
      const c = await container(server.client, `point-${round + 1}`);
      const writeMs = await time(() => pooled(ops, 8, (i) => c.items.create({ id: `i${i}`, pk: `p${i % 10}`, n: i })));
      const readMs = await time(() => pooled(ops, 8, (i) => c.item(`i${i}`, `p${i % 10}`).read()));
      if (round < 0) return;
      if (side === 'floor') {
        writes.addFloor(ops / (writeMs / 1000));
        reads.addFloor(ops / (readMs / 1000));
        return;
      }
      writes.add(SIDES[side], ops / (writeMs / 1000));
      reads.add(SIDES[side], ops / (readMs / 1000));
    } finally {
      await server.stop();
    }
  });

  for (const side of ['localzure', 'vercel']) {
    const server = await start(side);
    try {
      const c = await container(server.client, 'query');
      await pooled(items, 16, (i) => c.items.create({ id: `q${i}`, pk: `p${i % 20}`, n: i, kind: i % 3 === 0 ? 'a' : 'b' }));
      const spec = { query: 'SELECT c.id, c.n FROM c WHERE c.kind = @kind AND c.n >= @min', parameters: [{ name: '@kind', value: 'a' }, { name: '@min', value: items / 2 }] };
      for (let r = -1; r < rounds; r++) {
        let count = 0;
        const ms = await time(async () => {
          count = (await c.items.query(spec, { maxItemCount: 1000 }).fetchAll()).resources.length;
        });
        if (count !== Math.floor(items / 6) + (items % 6 === 0 ? 0 : 1) && Math.abs(count - items / 6) > 2) throw new Error(`${side} query returned ${count} items`);
        if (r >= 0) query.add(SIDES[side], ms);
      }
      if (side === 'localzure') {
        for (let r = 0; r < rounds; r++) {
          if (r > 0) await pooled(items, 16, (i) => c.items.create({ id: `q${i}`, pk: `p${i % 20}`, n: i }));
          reset.add('localzure', await server.reset());
        }
      }
    } finally {
      await server.stop();
    }
  }
}
