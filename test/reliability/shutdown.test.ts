import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { AccountSASPermissions, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/core/namespaces.js';
import { BlobService } from '../../src/services/blob/index.js';
import { withLocalZure, type LocalZureHarness } from '../../src/index.js';
import { bindAgain, freePort, openHandles } from './support/ports.js';
import { recordingLogger, startService } from './support/services.js';

const credential = new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key);
const noRetry = { retryOptions: { maxTries: 1 } };
const FAILING_PROJECT = fileURLToPath(new URL('./fixtures/failing-start/', import.meta.url));

/** A chunked upload that keeps sending until the server answers or drops it. */
function endlessUpload(blobUrl: string, client: BlobServiceClient, path: string) {
  const sas = new URL(client.generateAccountSasUrl(new Date(Date.now() + 3600_000), AccountSASPermissions.parse('rwdlac'), 'sco')).search;
  const { port } = new URL(blobUrl);
  const agent = new Agent({ keepAlive: false });
  let sent = 0;
  let onFirstBytes: () => void;
  const firstBytes = new Promise<void>((resolve) => (onFirstBytes = resolve));
  const outcome = new Promise<string>((resolve) => {
    const req = httpRequest({
      agent,
      host: '127.0.0.1',
      port: Number(port),
      method: 'PUT',
      path: `/${DEFAULT_ACCOUNT.name}/${path}${sas}`,
      headers: { 'x-ms-blob-type': 'BlockBlob', 'transfer-encoding': 'chunked', 'x-ms-version': '2025-11-05' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(`answered ${res.statusCode}`);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`failed ${error.code ?? error.message}`));
    const pump = () => {
      while (!req.destroyed && sent < 256 * 1024 * 1024) {
        sent += 16 * 1024;
        if (sent > 64 * 1024) onFirstBytes();
        if (!req.write(randomBytes(16 * 1024))) return void req.once('drain', pump);
      }
    };
    pump();
  });
  return { firstBytes, outcome, sent: () => sent };
}

describe('stopping a service during an upload', () => {
  it('fails the upload cleanly, stores none of it, and frees the port', async () => {
    const started = await startService((c) => new BlobService(c));
    const client = new BlobServiceClient(started.url, credential, noRetry);
    await client.getContainerClient('inflight').create();
    const upload = endlessUpload(started.url, client, 'inflight/never-finished');
    await upload.firstBytes;

    const stopping = Date.now();
    await started.service.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(await upload.outcome).toMatch(/^failed (ECONNRESET|EPIPE|socket hang up)/);
    await expect(bindAgain(started.port)).resolves.toBeUndefined();

    // Started again (on a new port), the same store shows no trace of the upload.
    await started.service.start();
    const again = new BlobServiceClient(started.service.getEndpoint(DEFAULT_ACCOUNT)!.url, credential, noRetry);
    expect(await again.getContainerClient('inflight').getBlobClient('never-finished').exists()).toBe(false);
    await started.service.stop();
    expect(started.logger.errors).toEqual([]);
  });

  it('lets a download in flight end, complete or cut, without an error in the service', async () => {
    const started = await startService((c) => new BlobService(c));
    const client = new BlobServiceClient(started.url, credential, noRetry);
    const blob = client.getContainerClient('download').getBlockBlobClient('big');
    await client.getContainerClient('download').create();
    await blob.uploadData(randomBytes(32 * 1024 * 1024));
    const download = blob.downloadToBuffer().then(
      (data) => `complete ${data.length}`,
      (error: Error) => `cut: ${error.name}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await started.service.stop();
    expect(await download).toMatch(/^(complete 33554432|cut: )/);
    await expect(bindAgain(started.port)).resolves.toBeUndefined();
    expect(started.logger.errors).toEqual([]);
  });
});

// These run the built-in services the way users get them (discovered from
// localzure's package.json, i.e. dist/): `npm test` builds first.
describe('withLocalZure shutdown', () => {
  const harnesses: LocalZureHarness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h[Symbol.asyncDispose]();
  });

  it('teardown during an upload fails it cleanly, frees every port and leaves no open handles', async () => {
    const before = openHandles();
    const lz = withLocalZure(['blob', 'queue'], { logger: recordingLogger() });
    harnesses.push(lz);
    const env = await lz.setup();
    const client = BlobServiceClient.fromConnectionString(env.connectionString, noRetry);
    await client.getContainerClient('teardown').create();
    const upload = endlessUpload(env.endpoints.blob!, client, 'teardown/half');
    await upload.firstBytes;

    await lz.teardown();
    expect(await upload.outcome).toMatch(/^failed /);
    const ports = [env.endpoints.blob!, env.endpoints.queue!, env.controlUrl].map((url) => Number(new URL(url).port));
    for (const port of ports) await expect(bindAgain(port)).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openHandles().servers).toBeLessThanOrEqual(before.servers);
  });

  it('stops blob and queue and frees their ports when a service after them throws during start', async () => {
    const [blobPort, queuePort, controlPort] = [await freePort(), await freePort(), await freePort()];
    const lz = withLocalZure(['fails-after-storage'], { cwd: FAILING_PROJECT, ports: { blob: blobPort, queue: queuePort }, controlPort, logger: recordingLogger() });
    harnesses.push(lz);
    await expect(lz.setup()).rejects.toThrow(/fails-after-storage refuses to start/);
    for (const port of [blobPort, queuePort, controlPort]) await expect(bindAgain(port)).resolves.toBeUndefined();
  });
});
