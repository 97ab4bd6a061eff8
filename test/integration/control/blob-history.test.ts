import type { ContainerClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { advanceClock, restore, snapshot } from '../../../src/index.js';
import { useControlRuntime } from './support.js';

// What versioning and soft delete keep is part of an account's data: snapshot/restore carry it, a reset clears it.
const fixture = useControlRuntime({ storageAccount: { versioning: true, containerSoftDeleteDays: 7 } });

async function everything(container: ContainerClient) {
  const items = [];
  for await (const item of container.listBlobsFlat({ includeVersions: true, includeDeleted: true, includeSnapshots: true })) {
    items.push(`${item.name}${item.versionId ? ` v${item.isCurrentVersion ? '(current)' : ''}` : ''}${item.deleted ? ' deleted' : ''}`);
  }
  return items;
}

async function deletedContainers(env: Awaited<ReturnType<typeof fixture.worker>>) {
  const names = [];
  for await (const item of fixture.blobClient(env).listContainers({ includeDeleted: true })) if (item.deleted) names.push(item.name);
  return names;
}

/** A worker account with blob soft delete on, and a container in it. */
async function softDeleteAccount(id: string, container: string) {
  const env = await fixture.worker(id);
  const client = fixture.blobClient(env);
  await client.setProperties({ deleteRetentionPolicy: { enabled: true, days: 7 } });
  const created = client.getContainerClient(container);
  await created.create();
  return { env, client, container: created };
}

describe('blob versions and soft-deleted items in snapshots and resets', () => {
  it('restores the versions and soft-deleted blobs a snapshot saw, and not those made after', async () => {
    const { env, container } = await softDeleteAccount('history-1', 'docs');
    const blob = container.getBlockBlobClient('a.txt');
    const { versionId } = await blob.upload('one', 3);
    await blob.upload('two', 3);
    await snapshot('two-versions', env);
    await blob.upload('three', 5);
    await blob.withVersion(versionId!).delete();
    const before = await everything(container);
    expect(before).toEqual(['a.txt v deleted', 'a.txt v', 'a.txt v(current)']);
    await restore('two-versions', env);
    expect(await everything(container)).toEqual(['a.txt v', 'a.txt v(current)']);
    expect((await blob.withVersion(versionId!).downloadToBuffer()).toString()).toBe('one');
    // The restored store keeps working: a new write makes a version after the restored ones.
    const next = await blob.upload('four', 4);
    expect(next.versionId! > versionId!).toBe(true);
  });

  it('restores the same versions and deleted containers each time: changes after a restore never reach the snapshot', async () => {
    const { env, client, container } = await softDeleteAccount('history-3', 'docs');
    const blob = container.getBlockBlobClient('a.txt');
    const { versionId } = await blob.upload('one', 3);
    await blob.upload('two', 3);
    const gone = client.getContainerClient('gone');
    await gone.create();
    await gone.delete();
    await snapshot('saved', env);
    for (let round = 0; round < 2; round++) {
      await restore('saved', env);
      expect(await everything(container)).toEqual(['a.txt v', 'a.txt v(current)']);
      expect(await deletedContainers(env)).toEqual(['gone']);
      await blob.withVersion(versionId!).delete();
      const [deleted] = (await client.listContainers({ includeDeleted: true }).byPage().next()).value.containerItems.filter((c: { deleted?: boolean }) => c.deleted);
      await client.undeleteContainer('gone', deleted.version);
    }
  });

  it('clears versions, soft-deleted blobs and soft-deleted containers on reset', async () => {
    const { env, client, container: kept } = await softDeleteAccount('history-2', 'kept');
    await kept.getBlockBlobClient('a.txt').upload('one', 3);
    await kept.getBlockBlobClient('a.txt').delete();
    const gone = client.getContainerClient('gone');
    await gone.create();
    await gone.delete();
    expect(await deletedContainers(env)).toEqual(['gone']);
    await fixture.control.reset(env.account.name);
    expect(await deletedContainers(env)).toEqual([]);
    await kept.create();
    expect(await everything(kept)).toEqual([]);
  });

  // Last in the file: it moves the shared clock past every retention.
  it('removes a restored soft-deleted version for good once its retention ends', async () => {
    const { env, container } = await softDeleteAccount('history-4', 'docs');
    const blob = container.getBlockBlobClient('a.txt');
    const { versionId } = await blob.upload('one', 3);
    await blob.upload('two', 3);
    await blob.withVersion(versionId!).delete();
    await snapshot('deleted-version', env);
    await restore('deleted-version', env);
    expect(await everything(container)).toEqual(['a.txt v deleted', 'a.txt v(current)']);
    await advanceClock(8 * 86_400_000, env);
    expect(await everything(container)).toEqual(['a.txt v(current)']);
  });
});
