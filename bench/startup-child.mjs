// One cold start, in a fresh process: `node bench/startup-child.mjs <localzure|azurite>`.
// Prints { ownMs, totalMs, rss }: ownMs is the emulator's loading plus start
// (the SDK is imported first, so it is not counted); totalMs runs from this
// script's first line to the first successful createContainer.
const started = performance.now();
const { BlobServiceClient } = await import('@azure/storage-blob');
const sdkLoaded = performance.now();

const starters = {
  async localzure() {
    const { importLocalZure } = await import('./package.mjs');
    const { LocalZureRuntime, buildEnvironment } = await importLocalZure();
    const runtime = new LocalZureRuntime();
    await runtime.start(['blob']);
    return buildEnvironment(runtime).connectionString;
  },
  async azurite() {
    const { startAzurite } = await import('./azurite.mjs');
    return (await startAzurite('blob')).connectionString;
  },
};

const connectionString = await starters[process.argv[2]]();
const emulatorStarted = performance.now();
await BlobServiceClient.fromConnectionString(connectionString).getContainerClient('first').create();
const totalMs = performance.now() - started;
console.log(JSON.stringify({ ownMs: emulatorStarted - sdkLoaded, totalMs, rss: process.memoryUsage().rss }));
process.exit(0);
