// One emulator in a process of its own, so its memory is measured alone and
// the client load runs on the other core. Usage (from hosts.mjs, with IPC):
//   node bench/host.mjs <localzure|azurite|floor> <blob|queue|table> [fill]
// Sends { type: 'ready', connectionString, controlUrl?, url } or
// { type: 'unavailable', reason }, then answers { id, cmd } messages.
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startAzurite } from './azurite.mjs';
import { growthSeed } from './growth-seed.mjs';
import { importLocalZure } from './package.mjs';

const [kind, service, fill] = process.argv.slice(2);
const quiet = { info() {}, warn() {}, error: (m) => console.error(`[localzure] ${m}`) };
const SMALL_BODY = Buffer.alloc(1024, 'x');

const hosts = {
  async localzure() {
    const { LocalZureRuntime, buildEnvironment } = await importLocalZure();
    const runtime = new LocalZureRuntime({ logger: quiet, ...(fill === undefined ? {} : { seed: { data: growthSeed(service, Number(fill)) } }) });
    await runtime.start([service]);
    const env = buildEnvironment(runtime);
    return {
      connectionString: env.connectionString,
      controlUrl: env.controlUrl,
      url: env.endpoints[service],
      reset: () => runtime.manager.resetAll(),
      stop: () => runtime.stop(),
    };
  },
  azurite: () => startAzurite(service),
  // The floor: a bare node:http server that reads the body and answers.
  async floor() {
    const server = createServer((request, response) => {
      request.on('data', () => {});
      request.on('end', () => {
        if (request.method === 'GET') response.writeHead(200, { 'content-length': SMALL_BODY.length }).end(SMALL_BODY);
        else response.writeHead(201, { 'content-length': 0 }).end();
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${server.address().port}/devstoreaccount1`;
    return { url, connectionString: '', stop: () => new Promise((resolve) => server.close(resolve)) };
  },
};

let host;
try {
  host = await hosts[kind]();
} catch (error) {
  process.send({ type: 'unavailable', reason: String(error?.message ?? error).split('\n')[0] }, () => process.exit(0));
  await new Promise(() => {});
}

// Timed here, inside the emulator's process, with no client round trip.
const timed = (operation) => async () => {
  const started = performance.now();
  await operation();
  return { ms: performance.now() - started };
};

// What the heap holds live, after a full collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const commands = {
  memory: () => ({ rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 }),
  heap: () => {
    gc();
    return { heapUsed: process.memoryUsage().heapUsed };
  },
  restart: timed(() => host.restart()),
  reset: timed(() => host.reset()),
  async stop() {
    await host.stop();
    setImmediate(() => process.exit(0));
    return {};
  },
};

process.on('message', async ({ id, cmd }) => {
  try {
    process.send({ id, ...(await commands[cmd]()) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', connectionString: host.connectionString, controlUrl: host.controlUrl, url: host.url });
