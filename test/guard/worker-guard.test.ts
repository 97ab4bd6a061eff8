import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../src/index.js';
import { joinAsWorker } from '../../src/harness/worker.js';
import { LocalZureRuntime } from '../../src/runtime/runtime.js';
import { BlobService } from '../../src/services/blob/index.js';

// A test file joined the way localzure/vitest and the jest setup module join one, guard on by default.
const runtime = new LocalZureRuntime({ logger: { info() {}, warn() {}, error() {} } });
runtime.manager.registerService(new BlobService(runtime.manager.context));
await runtime.start(['blob']);
afterAll(() => runtime.stop());
joinAsWorker({ environment: buildEnvironment(runtime), resetBetweenTests: true }, { beforeAll, beforeEach }, 'g1');

// The user's own clean-up, as many nock users write it.
afterEach(() => nock.cleanAll());

const blocked = (url: string) => fetch(url).then(() => undefined, (e: Error) => e.cause ?? e);

describe('the guard in a test worker', () => {
  it('blocks real Azure without being asked', async () => {
    expect(await blocked('https://someaccount.blob.core.windows.net/c?restype=container')).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
  });

  it("lets the user's interceptor for another host answer", async () => {
    nock('https://payments.example.test').post('/charge').reply(201, { ok: true });
    const response = await fetch('https://payments.example.test/charge', { method: 'POST' });
    expect(response.status).toBe(201);
  });

  it('still holds in the next test after the user called nock.cleanAll()', async () => {
    expect(await blocked('https://vault-1.vault.azure.net/secrets/db')).toMatchObject({ code: 'LZ_REAL_AZURE_BLOCKED' });
  });
});
