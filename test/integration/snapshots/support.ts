import { expect, it } from 'vitest';
import { restore, type Environment } from '../../../src/index.js';
import type { ControlFixture } from '../control/support.js';

/** How a service's test seeds a namespace and reads it back through the service's SDK. */
export interface SnapshotSubject {
  service: string;
  baseline(env: Environment): Promise<void>;
  contents(env: Environment): Promise<unknown>;
}

/**
 * The behaviours every service's snapshots share: a capture survives the
 * JSON of a snapshot file into another namespace, and restoring a name the
 * namespace never saved is 404 `SnapshotNotFound`.
 */
export function itSharesSnapshotBehaviour(lz: ControlFixture, subject: SnapshotSubject, workerIds: [string, string, string]): void {
  it('writes a namespace to snapshot-file JSON that restores into another namespace as it was', async () => {
    const [a, b] = [await lz.worker(workerIds[0]), await lz.worker(workerIds[1])];
    await subject.baseline(a);
    const saved = await subject.contents(a);
    const service = lz.runtime.manager.getService(subject.service);
    const json = JSON.parse(JSON.stringify(service.encodeSnapshot(await service.captureNamespace(a.account.name)))) as unknown;
    await service.restoreNamespace(b.account.name, service.decodeSnapshot(json));
    expect(await subject.contents(b)).toEqual(saved);
  });

  it('refuses to restore a snapshot the namespace never saved', async () => {
    const env = await lz.worker(workerIds[2]);
    await expect(restore('never-saved', env)).rejects.toMatchObject({ status: 404, remoteCode: 'SnapshotNotFound' });
  });
}
