import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['seeded'] });
const run = promisify(execFile);
const script = fileURLToPath(new URL('./admin-scenarios.mjs', import.meta.url));

async function scenario(name: string): Promise<unknown> {
  const endpoint = sb.service.getEndpoint(DEFAULT_ACCOUNT)!;
  const { stdout } = await run(process.execPath, [script, name, endpoint.connectionString!], { env: { ...process.env, ...endpoint.env }, timeout: 25_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('Service Bus administration client (Atom API over HTTPS)', () => {
  it('creates, gets, checks and deletes a queue', async () => {
    expect(await scenario('createGetDeleteQueue')).toEqual({ created: ['made', 'PT45S', 4], got: 'made', exists: true, after: false });
  });

  it('creates a queue that senders and receivers can use at once', async () => {
    expect(await scenario('createdQueueWorks')).toBe('into a created queue');
  });

  it('refuses to create a queue twice: MessageEntityAlreadyExistsError', async () => {
    expect(await scenario('duplicateQueue')).toBe('MessageEntityAlreadyExistsError');
  });

  it('answers MessageEntityNotFoundError for a queue that does not exist', async () => {
    expect(await scenario('missingQueue')).toEqual({ get: 'MessageEntityNotFoundError', del: 'MessageEntityNotFoundError', exists: false });
  });

  it('updates a queue', async () => {
    expect(await scenario('updateQueue')).toEqual([9, 'SendDisabled']);
  });

  it('lists queues, the seeded and the created ones', async () => {
    // Entities outlive the per-test reset, so other tests' queues may be listed too.
    expect(await scenario('listQueues')).toEqual(expect.arrayContaining(['seeded', 'listed']));
  });

  it('reports runtime properties with active, dead-letter, scheduled and transfer counts', async () => {
    expect(await scenario('queueRuntimeProperties')).toEqual([1, 1, 1, 0, true]);
  });

  it('creates topics and subscriptions that route messages, and lists and deletes them', async () => {
    expect(await scenario('topicsAndSubscriptions')).toEqual({ body: 'headline', subs: ['reader'], topic: 'news', active: 0, exists: false });
  });

  it('answers the namespace properties', async () => {
    expect(await scenario('namespaceProperties')).toEqual([DEFAULT_ACCOUNT.name, 'Standard']);
  });

  it('refuses a wrong key: UnauthorizedRequestError', async () => {
    expect(await scenario('wrongKey')).toBe('UnauthorizedRequestError');
  });
});
