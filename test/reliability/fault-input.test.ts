import { createServer, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/core/clock.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../src/core/namespaces.js';
import type { LocalZureRuntime } from '../../src/runtime/runtime.js';
import { createStorageDispatcher, type StorageRoute } from '../../src/services/storage-common/dispatcher.js';
import { StorageError } from '../../src/services/storage-common/storage-error.js';
import { startStorageRuntime } from './support/runtime.js';
import { recordingLogger } from './support/services.js';
import { send } from './support/wire.js';

// Faults are armed by tests over the control API, so their fields are user
// input that ends up on the wire. What cannot go on the wire is refused when
// the fault is armed; and the storage dispatcher's error path, the last
// resort for every failure, drops one connection at worst, never the process.

describe('arming faults the wire cannot carry', () => {
  let runtime: LocalZureRuntime;
  const logger = recordingLogger();
  const faults = async (method: string, body?: unknown) => {
    const response = await fetch(`${runtime.controlUrl}/_localzure/faults`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    runtime = await startStorageRuntime(['blob'], { logger });
  });
  afterAll(() => runtime.stop());

  it.each([
    ['an em dash', 'Server\u2014Busy'],
    ['CR LF', 'ServerBusy\r\nx-injected: 1'],
    ['a space', 'Server Busy'],
  ])('a fault whose errorCode holds %s is refused with 400 InvalidFault and not armed', async (_, errorCode) => {
    const answer = await faults('POST', { service: 'blob', status: 503, errorCode });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('InvalidFault');
    expect(answer.json.error.message).toContain('errorCode');
    expect((await faults('GET')).json.faults).toEqual([]);
  });

  it('storage requests are served after a refused errorCode', async () => {
    await faults('POST', { service: 'blob', status: 503, errorCode: 'Server\u2014Busy' });
    const client = new BlobServiceClient(runtime.endpoints().blob!.url, new StorageSharedKeyCredential(runtime.account.name, runtime.account.key), { retryOptions: { maxTries: 1 } });
    await client.getContainerClient('after-refused-fault').create();
    expect(logger.errors).toEqual([]);
  });

  it('a fault for a service that does not run is refused with 400 InvalidFault naming the services that do', async () => {
    const answer = await faults('POST', { service: 'blobb', status: 503 });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('InvalidFault');
    expect(answer.json.error.message).toContain('"blobb"');
    expect(answer.json.error.message).toContain('blob');
    expect((await faults('GET')).json.faults).toEqual([]);
  });
});

describe("the storage dispatcher's last-resort error path", () => {
  let server: Server;
  let port: number;
  const logger = recordingLogger();
  const agent = new Agent({ keepAlive: false });

  beforeAll(async () => {
    const routes: StorageRoute<null>[] = [
      { method: 'GET', depth: 1, access: null, match: ([name]) => name === 'ok', handle: () => ({ status: 200, body: 'fine' }) },
      // A StorageError whose code cannot be a header value: writing the error answer itself fails.
      { method: 'GET', depth: 1, access: null, match: ([name]) => name === 'bad-code', handle: () => Promise.reject(new StorageError(500, 'Bad\u2014Code', 'unwritable')) },
    ];
    const listener = createStorageDispatcher({
      service: 'probe',
      routes,
      namespaces: new NamespaceRegistry(),
      clock: new AdjustableClock(),
      logger,
      authorize: () => {},
    });
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('an error answer that cannot be written drops that connection and the server keeps serving', async () => {
    const failed = await send(agent, port, { method: 'GET', target: `/${DEFAULT_ACCOUNT.name}/bad-code`, headers: [] }, 2_000);
    expect(failed.timedOut).toBeUndefined();
    expect(failed.error).toMatch(/socket hang up|ECONNRESET/);
    const next = await send(agent, port, { method: 'GET', target: `/${DEFAULT_ACCOUNT.name}/ok`, headers: [] }, 2_000);
    expect(next.status).toBe(200);
    expect(logger.errors.join('\n')).toContain('dropped');
  });
});
