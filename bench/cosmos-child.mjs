// One cold start of a Cosmos DB emulator, in a fresh process: `node bench/cosmos-child.mjs <localzure|vercel>`.
// Prints { ownMs, totalMs, rss }: ownMs is the emulator's loading plus start (the SDK is imported first and not
// counted); totalMs runs from this script's first line to the first successful createDatabase.
const started = performance.now();
const { CosmosClient } = await import('@azure/cosmos');
const sdkLoaded = performance.now();

const starters = {
  // The emulator itself, as @vercel/cosmosdb-server's createHttpServer is; the harness row covers the runtime around it.
  async localzure() {
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const { packageDir } = await import('./package.mjs');
    const { CosmosDbService } = await import(pathToFileURL(join(packageDir(), 'dist/services/cosmosdb/index.js')).href);
    const service = new CosmosDbService();
    await service.start();
    return new CosmosClient(service.getEndpoint({ name: 'devstoreaccount1', key: service.context.namespaces.list()[0].key }).connectionString);
  },
  async vercel() {
    const { createHttpServer } = await import('@vercel/cosmosdb-server');
    const server = createHttpServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${server.address().port}`;
    return new CosmosClient({ endpoint, key: 'dummy', connectionPolicy: { enableEndpointDiscovery: false } });
  },
};

const client = await starters[process.argv[2]]();
const emulatorStarted = performance.now();
await client.databases.create({ id: 'first' });
const totalMs = performance.now() - started;
console.log(JSON.stringify({ ownMs: emulatorStarted - sdkLoaded, totalMs, rss: process.memoryUsage().rss }));
process.exit(0);
