import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, expect, it } from 'vitest';
import { useLocalZure } from 'localzure/vitest';
import { Uploads } from '../src/uploads.js';

const WRITERS = ['writer-a', 'writer-b'];

/**
 * Two test files call this at the same time. Both write the same container
 * and blob names and reset before every test; with per-worker accounts
 * neither ever sees or loses the other's data. Without them these tests fail.
 */
export function writeAlongsideAnotherFile(me: string): void {
  const env = useLocalZure();

  beforeAll(() => meetTheOtherWriter(env.controlUrl, me), 30_000);

  for (let round = 1; round <= 8; round++) {
    it(`round ${round}: sees only what it wrote itself`, async () => {
      const uploads = Uploads.fromEnvironment();
      expect(await uploads.list()).toEqual(['readme.txt']);
      await uploads.save('shared.txt', `${me}, round ${round}`);
      // Leave the other file time to write, and to reset, in between.
      await sleep(30);
      expect(await uploads.read('shared.txt')).toBe(`${me}, round ${round}`);
      expect(await uploads.list()).toEqual(['readme.txt', 'shared.txt']);
    });
  }
}

// Both files wait here until both have started, so their tests overlap for certain.
async function meetTheOtherWriter(controlUrl: string, me: string): Promise<void> {
  const dir = join(tmpdir(), `localzure-isolation-${new URL(controlUrl).port}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, me), '');
  const deadline = Date.now() + 25_000;
  while (!WRITERS.every((writer) => existsSync(join(dir, writer)))) {
    if (Date.now() > deadline) throw new Error('The other writer never started: run these files in parallel (maxWorkers >= 2).');
    await sleep(20);
  }
  // Both have arrived; the other file notices within one poll, long before the folder goes.
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000).unref();
}
