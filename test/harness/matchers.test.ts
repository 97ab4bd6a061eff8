import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import '../../src/harness/vitest.js';
import { toHaveReceived } from '../../src/harness/matchers.js';
import { useControlRuntime } from '../integration/control/support.js';

const lz = useControlRuntime();

async function uploaded(worker: string) {
  const env = await lz.worker(worker);
  const container = BlobServiceClient.fromConnectionString(env.connectionString).getContainerClient('photos');
  await container.create();
  await container.getBlockBlobClient('a.png').upload('png', 3);
  return env;
}

const failureOf = (assertion: Promise<unknown>) => assertion.then(() => '', (error: Error) => error.message);

describe('toHaveReceived', () => {
  it('passes for a request the account was sent, matching service, operation, method, path and status', async () => {
    const env = await uploaded('m1');
    await expect(env).toHaveReceived({ service: 'blob', operation: 'PutBlob', path: '/photos/a.png' });
    await expect(env).toHaveReceived({ method: 'put', path: '/photos', status: '2xx' }, 1);
    await expect(env).not.toHaveReceived({ operation: 'DeleteBlob' });
  });

  it('fails listing what the account received instead', async () => {
    const env = await uploaded('m2');
    const message = await failureOf(expect(env).toHaveReceived({ service: 'blob', operation: 'PutBlob', path: '/photos/b.png' }));
    expect(message).toContain(`expected account ${env.account.name} to have received a request { service: "blob", operation: "PutBlob", path: "/photos/b.png" }`);
    expect(message).toContain('it received 0 matching, of these 2:');
    expect(message).toContain('  blob CreateContainer PUT /photos → 201');
    expect(message).toContain('  blob PutBlob PUT /photos/a.png → 201');
  });

  it('fails a count that is not met, saying how many matched', async () => {
    const env = await uploaded('m3');
    const message = await failureOf(expect(env).toHaveReceived({ operation: 'PutBlob' }, 2));
    expect(message).toContain('a request { operation: "PutBlob" } 2 times');
    expect(message).toContain('it received 1 matching, of these 2:');
  });

  it('fails under .not listing the requests that matched', async () => {
    const env = await uploaded('m4');
    const message = await failureOf(expect(env).not.toHaveReceived({ service: 'blob', status: 201 }));
    expect(message).toContain('not to have received a request { service: "blob", status: 201 }, but it received 2 matching:');
  });

  it('says there was nothing when the account received no requests', async () => {
    const env = await lz.worker('m5');
    expect(await failureOf(expect(env).toHaveReceived({}))).toContain('to have received any request, but it received no requests');
  });

  it('names what to pass when given something that is not an Environment', async () => {
    const result = await toHaveReceived.call({}, { endpoints: {} }, { operation: 'PutBlob' });
    expect(result.pass).toBe(false);
    expect(result.message()).toContain('expect(localzure) with the localzure fixture');
  });
});
