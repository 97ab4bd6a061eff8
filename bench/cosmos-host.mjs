// A Cosmos DB emulator in its own process, so the SDK client and the server do not share a thread:
// `node bench/cosmos-host.mjs <localzure|vercel|floor>`. Sends { endpoint, key } over IPC when listening; 'reset' and
// 'stop' messages answer { ms } / exit.
import { listenCosmosFloor } from './cosmos-floor.mjs';
import { importLocalZure } from './package.mjs';

const kind = process.argv[2];
let stop;
let reset;
if (kind === 'localzure') {
  const { CosmosDbService, DEFAULT_ACCOUNT } = await importLocalZure();
  const service = new CosmosDbService();
  await service.start();
  const cs = service.getEndpoint(DEFAULT_ACCOUNT).connectionString;
  stop = () => service.stop();
  reset = () => service.reset();
  process.send({ type: 'ready', endpoint: /AccountEndpoint=([^;]+);/.exec(cs)[1], key: /AccountKey=([^;]+);/.exec(cs)[1] });
} else {
  let server;
  if (kind === 'floor') server = await listenCosmosFloor();
  else {
    const { createHttpServer } = await import('@vercel/cosmosdb-server');
    server = createHttpServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  stop = () => (server.closeAllConnections(), new Promise((resolve) => server.close(resolve)));
  process.send({ type: 'ready', endpoint: `http://127.0.0.1:${server.address().port}/`, key: 'ZHVtbXk=' });
}
process.on('message', async (message) => {
  if (message.cmd === 'reset' && reset) {
    const started = performance.now();
    await reset();
    process.send({ id: message.id, ms: performance.now() - started });
  } else if (message.cmd === 'stop') {
    await stop();
    process.exit(0);
  }
});
