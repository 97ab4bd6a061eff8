import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { QueueService } from '../../../src/services/queue/index.js';
import { TableService } from '../../../src/services/table/index.js';
import type { StorageService } from '../../../src/services/storage-common/storage-service.js';
import { loadRecordings, type StorageSdk } from './recording.js';
import { replayRecording, type EntryResult, type ReplayTarget } from './replayer.js';

/**
 * Replays the Azure SDK for JS test recordings (real Azure accounts'
 * answers, github:Azure/azure-sdk-assets) against LocalZure: every entry
 * whose answer does not depend on an account setting must agree on status,
 * error code and the headers the SDK models. The recordings are not part of
 * this repository; LOCALZURE_REPLAY_DIR names the `js/sdk` folder of a
 * checkout of them (see README, "Replaying Azure's recordings").
 */
const folder = process.env.LOCALZURE_REPLAY_DIR;
// The browser recordings repeat the Node ones through a browser's fetch; the Node ones are the wire the SDK sends from a test.
const recordings = folder && existsSync(folder) ? loadRecordings(folder).filter((r) => r.name.includes('/recordings/node/')) : [];

if (recordings.length === 0) {
  console.warn('[localzure] SKIPPED replay of Azure SDK recordings: set LOCALZURE_REPLAY_DIR to the js/sdk folder of a checkout of github:Azure/azure-sdk-assets (README, "Replaying Azure\'s recordings").');
}

describe.skipIf(recordings.length === 0)('replay of Azure SDK recordings', () => {
  const clock = new AdjustableClock();
  const services: StorageService[] = [new BlobService({ port: 0, clock }), new QueueService({ port: 0, clock }), new TableService({ port: 0, clock })];
  let target: ReplayTarget;
  const results: EntryResult[] = [];

  beforeAll(async () => {
    await Promise.all(services.map((service) => service.start()));
    const [blob, queue, table] = services.map((service) => service.getEndpoint(DEFAULT_ACCOUNT)!.url) as [string, string, string];
    target = { account: DEFAULT_ACCOUNT.name, key: DEFAULT_ACCOUNT.key, urls: { blob, queue, table }, clock };
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    if (process.env.LOCALZURE_REPLAY_REPORT) console.log(report(results));
  });

  for (const recording of recordings) {
    it(recording.name, async () => {
      const replayed = await replayRecording(recording, target);
      results.push(...replayed);
      const disagreements = replayed.filter((r) => r.differences.length > 0).map((r) => `#${r.index} ${r.request}: ${r.differences.join('; ')}`);
      expect(disagreements).toEqual([]);
    });
  }
});

/** Entries agreeing out of those compared, per SDK, and the skipped ones by reason. */
function report(results: EntryResult[]): string {
  const lines = ['replay: agreeing / compared (skipped by reason)'];
  for (const sdk of ['blob', 'queue', 'table'] satisfies StorageSdk[]) {
    const mine = results.filter((r) => r.sdk === sdk);
    const compared = mine.filter((r) => !r.skipped);
    const agreeing = compared.filter((r) => r.differences.length === 0);
    const skipped = new Map<string, number>();
    for (const r of mine) if (r.skipped) skipped.set(r.skipped, (skipped.get(r.skipped) ?? 0) + 1);
    const reasons = [...skipped].map(([reason, n]) => `${reason} ${n}`).join(', ');
    lines.push(`  ${sdk}: ${agreeing.length} / ${compared.length}${reasons ? ` (skipped: ${reasons})` : ''}`);
  }
  for (const r of results) if (r.differences.length > 0) lines.push(`  ${r.sdk} #${r.index} ${r.request}: ${r.differences.join('; ')}`);
  return lines.join('\n');
}
