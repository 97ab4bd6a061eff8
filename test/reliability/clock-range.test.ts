import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock, ClockMoveError } from '../../src/core/clock.js';
import { advanceClock } from '../../src/harness/control-client.js';
import type { LocalZureRuntime } from '../../src/runtime/runtime.js';
import { startStorageRuntime } from './support/runtime.js';
import { recordingLogger } from './support/services.js';

// The clock is moved by tests, over the control API or in code. A move that
// would leave the dates the emulators can write must be refused and leave
// the clock where it was; otherwise the next storage request cannot even
// format its Date header.

const ALLOWED_DRIFT_MS = 5_000;

describe('moving the clock out of range over the control API', () => {
  let runtime: LocalZureRuntime;
  const logger = recordingLogger();
  const clock = async (body?: unknown) => {
    const response = await fetch(`${runtime.controlUrl}/_localzure/clock`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as any };
  };
  const blob = () =>
    new BlobServiceClient(runtime.endpoints().blob!.url, new StorageSharedKeyCredential(runtime.account.name, runtime.account.key), { retryOptions: { maxTries: 1 } });

  beforeAll(async () => {
    runtime = await startStorageRuntime(['blob'], { logger });
  });
  afterAll(() => runtime.stop());

  it.each([
    ['advanceMs', { advanceMs: 1e16 }],
    ['time in epoch ms', { time: 1e20 }],
    ['time as a date string', { time: '+275760-09-13T00:00:00.000Z' }],
  ])('a move past the latest date (%s) is refused with 400 and leaves the clock unchanged', async (_, body) => {
    const before = (await clock()).json.nowMs as number;
    const answer = await clock(body);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('InvalidInput');
    const after = (await clock()).json.nowMs as number;
    expect(after - before).toBeGreaterThanOrEqual(0);
    expect(after - before).toBeLessThan(ALLOWED_DRIFT_MS);
  });

  it('storage requests are served after a refused move', async () => {
    expect((await clock({ advanceMs: 1e16 })).status).toBe(400);
    const container = blob().getContainerClient('after-refused-move');
    await container.create();
    expect((await container.getProperties()).lastModified!.getTime()).toBeGreaterThan(0);
    expect(logger.errors).toEqual([]);
  });

  it('advanceClock() past the latest date rejects with the control error naming the limit and leaves the clock', async () => {
    const before = (await clock()).json.nowMs as number;
    await expect(advanceClock(1e16, { controlUrl: runtime.controlUrl })).rejects.toMatchObject({ code: 'LZ_CONTROL_REQUEST_FAILED', message: expect.stringContaining('9999-12-31') });
    expect((await clock()).json.nowMs - before).toBeLessThan(ALLOWED_DRIFT_MS);
  });

  it('a time that is not a date is refused with 400 naming it', async () => {
    const answer = await clock({ time: 'next tuesday' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toContain('next tuesday');
  });
});

describe('moving the clock out of range in code', () => {
  it.each([
    ['advance', (c: AdjustableClock) => c.advance(1e16)],
    ['set', (c: AdjustableClock) => c.set(1e20)],
    ['set far in the past', (c: AdjustableClock) => c.set(-1e20)],
  ])('%s past the date range throws ClockMoveError and leaves the clock unchanged', (_, move) => {
    const clock = new AdjustableClock();
    const before = clock.now();
    expect(() => move(clock)).toThrow(ClockMoveError);
    expect(clock.now() - before).toBeLessThan(ALLOWED_DRIFT_MS);
  });
});
