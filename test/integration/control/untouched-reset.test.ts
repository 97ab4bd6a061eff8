import { describe, expect, it } from 'vitest';
import type { BlobServiceSnapshot, Environment } from '../../../src/index.js';
import { useControlRuntime } from './support.js';

const lz = useControlRuntime({ seed: { data: { blob: { photos: { 'seed.txt': 'from the seed' } } } } });

// Read through the control API, which is no request to the account itself.
async function seededAt(env: Environment): Promise<string | undefined> {
  const blob = (await lz.control.state(env.account.name)).services.blob as BlobServiceSnapshot;
  return blob.accounts[env.account.name]?.containers.find((c) => c.name === 'photos')?.blobs.find((b) => b.name === 'seed.txt')?.lastModified;
}

describe('per-test reset of an account', () => {
  it('does not write the seed again into an account no request reached since its last reset', async () => {
    const env = await lz.worker('u1');
    const seeded = await seededAt(env);
    lz.runtime.clock.advance(60_000);
    await lz.control.reset(env.account.name);
    expect(await seededAt(env)).toBe(seeded);
  });

  it('empties and re-seeds an account a request reached, even one that only read', async () => {
    const env = await lz.worker('u2');
    const container = lz.blobClient(env).getContainerClient('photos');
    await container.getBlockBlobClient('left-over.txt').upload('x', 1);
    const seeded = await seededAt(env);
    lz.runtime.clock.advance(60_000);
    await lz.control.reset(env.account.name);
    expect(await seededAt(env)).not.toBe(seeded);
    expect(await container.getBlockBlobClient('left-over.txt').exists()).toBe(false);

    const reseeded = await seededAt(env);
    lz.runtime.clock.advance(60_000);
    await lz.control.reset(env.account.name); // the exists() call above touched it
    expect(await seededAt(env)).not.toBe(reseeded);
  });

  it('still disarms the faults and forgets the requests of an untouched account', async () => {
    const env = await lz.worker('u3');
    await lz.control.injectFault({ namespace: env.account.name, service: 'blob', status: 503 });
    await lz.control.reset(env.account.name);
    expect(await lz.control.faults(env.account.name)).toEqual([]);
  });
});
