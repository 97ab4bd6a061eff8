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

  it('lists past one page: a next link carries the client to the rest', async () => {
    const listed = (await scenario('listPagedQueues')) as { pages: number; names: string[] };
    expect(listed.names).toEqual(['paged-0', 'paged-1', 'paged-2', 'paged-3', 'paged-4']);
    expect(listed.pages).toBeGreaterThanOrEqual(3);
  });

  it('reports runtime properties with active, dead-letter, scheduled and transfer counts', async () => {
    expect(await scenario('queueRuntimeProperties')).toEqual([1, 1, 1, 0, true]);
  });

  it('creates topics and subscriptions that route messages, and lists and deletes them', async () => {
    expect(await scenario('topicsAndSubscriptions')).toEqual({ body: 'headline', subs: ['reader'], topic: 'news', active: 0, exists: false });
  });

  it('creates and gets a rule with a SQL filter, a SQL action and their parameters', async () => {
    const rule = {
      name: 'important',
      filter: { sqlExpression: 'priority > @min', sqlParameters: { '@min': 2 } },
      action: { sqlExpression: 'SET tagged = @tag', sqlParameters: { '@tag': 'yes' } },
    };
    expect(await scenario('createGetRule')).toEqual({ created: rule, got: rule, exists: true });
  });

  it('round-trips a correlation filter with every application property type', async () => {
    expect(await scenario('correlationRule')).toEqual({
      filter: { correlationId: 'order-1', subject: 'created', contentType: 'application/json', applicationProperties: { region: 'eu', size: 3, urgent: true, at: '2026-01-02T03:04:05.000Z' } },
      at: true,
    });
  });

  it('lists the $Default rule of a new subscription as a match-all SQL filter', async () => {
    expect(await scenario('defaultRuleListed')).toEqual([{ name: '$Default', filter: { sqlExpression: '1=1' }, action: {} }]);
  });

  it('routes by a rule it creates from the next message on, with the rule action applied', async () => {
    expect(await scenario('rulesRouteAtOnce')).toEqual([['eu', 'rule']]);
  });

  it('shares its rules with the rule manager, both ways', async () => {
    expect(await scenario('ruleManagerSharesRules')).toEqual({ seenByManager: ['$Default', 'from-admin', 'from-manager'], seenByAdmin: ['$Default', 'from-admin', 'from-manager'] });
  });

  it('updates a rule, and routing follows the new filter and action', async () => {
    expect(await scenario('updateRule')).toEqual({ filter: 'size > 100', action: 'SET big = TRUE', routed: [[500, true]] });
  });

  it('deletes a rule: it no longer exists, and getting or deleting it again is MessageEntityNotFoundError', async () => {
    expect(await scenario('deleteRule')).toEqual({ exists: false, get: 'MessageEntityNotFoundError', del: 'MessageEntityNotFoundError' });
  });

  it('refuses a duplicate rule (409), bad SQL or an unbound parameter (400), and a missing rule or subscription (404)', async () => {
    expect(await scenario('ruleErrors')).toEqual({
      duplicate: [409, 'MessageEntityAlreadyExistsError'],
      badSql: [400, 'ServiceError'],
      missingParameter: [400, 'ServiceError'],
      updateMissing: [404, 'MessageEntityNotFoundError'],
      noSubscription: [404, 'MessageEntityNotFoundError'],
      stillOne: 'a = 1',
    });
  });

  it('creates a subscription with its default rule options instead of $Default', async () => {
    expect(await scenario('subscriptionWithDefaultRule')).toEqual([['high-only', 'priority >= 5']]);
  });

  it('answers the namespace properties', async () => {
    expect(await scenario('namespaceProperties')).toEqual([DEFAULT_ACCOUNT.name, 'Standard']);
  });

  it('refuses a wrong key: UnauthorizedRequestError', async () => {
    expect(await scenario('wrongKey')).toBe('UnauthorizedRequestError');
  });
});
