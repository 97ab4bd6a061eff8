import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storageRuntime, type StorageServiceName } from './support/runtime.js';
import { recordingLogger } from './support/services.js';

// A seed folder is the user's files, and files are not always what they
// seem: whatever sits in it, starting either loads it or fails with the
// seed's error naming the entry, and never waits forever.

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function seedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lz-seed-folder-'));
  folders.push(dir);
  return dir;
}

/** What starting `service` with the seed in `dir` ends in, within 5 s: the error, 'started', or 'hung'. */
async function startWith(service: StorageServiceName, dir: string): Promise<Error | 'started' | 'hung'> {
  const runtime = storageRuntime([service], { seed: { dir }, logger: recordingLogger() });
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 5_000)));
  const outcome = await Promise.race([runtime.start([service]).then(() => 'started' as const, (error: Error) => error), hung]);
  clearTimeout(timer);
  if (outcome !== 'hung') await runtime.stop();
  return outcome;
}

/** The message of the one seed failure in a start's error. */
function seedMessage(outcome: Error | 'started' | 'hung'): string {
  expect(outcome).toBeInstanceOf(Error);
  const failure = (outcome as Error & { failures?: Array<{ error: Error & { code?: string } }> }).failures?.[0]?.error;
  expect(failure?.code).toBe('LZ_INVALID_SEED');
  return failure!.message;
}

describe('seed folder entries that are not files', () => {
  it.each([
    ['blob', ['blob', 'docs'], 'pipe.txt'],
    ['queue', ['queue'], 'jobs.json'],
    ['table', ['table'], 'people.json'],
  ] as const)('a FIFO in the %s seed folder fails the start with the seed error naming it', async (service, folder, name) => {
    const dir = seedFolder();
    mkdirSync(join(dir, ...folder), { recursive: true });
    const fifo = join(dir, ...folder, name);
    execFileSync('mkfifo', [fifo]);
    const message = seedMessage(await startWith(service, dir));
    expect(message).toContain(fifo);
    expect(message).toContain('FIFO');
  });

  it('a seed file whose name is not valid UTF-8 fails the start with a message about its name', async () => {
    const dir = seedFolder();
    mkdirSync(join(dir, 'blob', 'docs'), { recursive: true });
    // 0xFF never occurs in UTF-8; the file system keeps the byte as it is.
    writeFileSync(Buffer.concat([Buffer.from(join(dir, 'blob', 'docs', 'bad')), Buffer.from([0xff]), Buffer.from('.txt')]), 'x');
    const message = seedMessage(await startWith('blob', dir));
    expect(message).toContain('not valid UTF-8');
    expect(message).not.toContain('link');
  });

  it('a seed service entry that is a file, not a folder, fails the start with the seed error naming it', async () => {
    const dir = seedFolder();
    writeFileSync(join(dir, 'queue'), '[]');
    expect(seedMessage(await startWith('queue', dir))).toContain(join(dir, 'queue'));
  });
});
