import { describe, expect, it } from 'vitest';
import { codeOf, noRetry, useServiceBus } from './support.js';

const sb = useServiceBus(
  {
    topics: {
      events: {
        subscriptions: [
          'all',
          { name: 'eu', rules: { region: { FilterType: 'Sql', SqlFilter: { SqlExpression: "region = 'eu'" } } } },
          {
            name: 'urgent',
            rules: { hot: { FilterType: 'Correlation', CorrelationFilter: { Label: 'urgent', Properties: { level: 3 } } } },
          },
          {
            name: 'tagged',
            rules: {
              tag: { FilterType: 'Sql', SqlFilter: { SqlExpression: '1=1' }, Action: { SqlExpression: "SET tagged = 'yes'; REMOVE secret" } },
            },
          },
        ],
      },
      sql: { subscriptions: ['probe'] },
    },
  },
  noRetry,
);

async function listRules(rules: ReturnType<typeof sb.client.createRuleManager>) {
  const all = [];
  for await (const rule of rules.listRules()) all.push(rule);
  return all;
}

async function drain(subscription: string, topic = 'events') {
  const receiver = sb.client.createReceiver(topic, subscription, { receiveMode: 'receiveAndDelete' });
  const messages = await receiver.receiveMessages(10, { maxWaitTimeInMs: 300 });
  await receiver.close();
  return messages;
}

describe('Service Bus topics and subscriptions', () => {
  it('fans a message out to every subscription whose rules match, $Default taking all', async () => {
    await sb.client.createSender('events').sendMessages({ body: 'eu event', applicationProperties: { region: 'eu' } });
    expect((await drain('all')).map((m) => m.body)).toEqual(['eu event']);
    expect((await drain('eu')).map((m) => m.body)).toEqual(['eu event']);
    expect(await drain('urgent')).toEqual([]);
  });

  it('matches correlation filters on system and user properties', async () => {
    const sender = sb.client.createSender('events');
    await sender.sendMessages([
      { body: 'match', subject: 'urgent', applicationProperties: { level: 3 } },
      { body: 'wrong level', subject: 'urgent', applicationProperties: { level: 2 } },
      { body: 'no label', applicationProperties: { level: 3 } },
    ]);
    expect((await drain('urgent')).map((m) => m.body)).toEqual(['match']);
  });

  it('applies a rule action to the copy the subscription receives', async () => {
    await sb.client.createSender('events').sendMessages({ body: 'x', applicationProperties: { secret: 's', keep: 1 } });
    const [copy] = await drain('tagged');
    expect(copy!.applicationProperties).toEqual({ keep: 1, tagged: 'yes' });
    const [original] = await drain('all');
    expect(original!.applicationProperties).toEqual({ secret: 's', keep: 1 });
  });

  it('lists, adds and deletes rules with the rule manager', async () => {
    const rules = sb.client.createRuleManager('sql', 'probe');
    expect((await listRules(rules)).map((r) => r.name)).toEqual(['$Default']);
    await rules.createRule('big', { sqlExpression: 'amount > 100' });
    await rules.deleteRule('$Default');
    const listed = await listRules(rules);
    expect(listed.map((r) => [r.name, (r.filter as { sqlExpression?: string }).sqlExpression])).toEqual([['big', 'amount > 100']]);
    expect(await codeOf(rules.createRule('big', { sqlExpression: '1=1' }))).toBe('MessagingEntityAlreadyExists');
    expect(await codeOf(rules.deleteRule('missing'))).toBe('MessagingEntityNotFound');
  });

  it('refuses SQL it cannot evaluate instead of matching silently', async () => {
    const rules = sb.client.createRuleManager('sql', 'probe');
    expect(await codeOf(rules.createRule('bad', { sqlExpression: "region = 'eu" }))).toBe('GeneralError');
    expect(await codeOf(rules.createRule('fn', { sqlExpression: 'newid() = 1' }))).toBe('GeneralError');
  });

  it('refuses to receive from a subscription that does not exist', async () => {
    expect(await codeOf(sb.client.createReceiver('events', 'nope').receiveMessages(1, { maxWaitTimeInMs: 300 }))).toBe('MessagingEntityNotFound');
  });
});

describe('Service Bus SQL filters', () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ["sys.Label = 'a'", {}, true],
    ["sys.label = 'b'", {}, false],
    ['n > 5 AND n <= 10', { n: 7 }, true],
    ['n > 5 AND n <= 10', { n: 11 }, false],
    ["color = 'red' OR color = 'blue'", { color: 'blue' }, true],
    ["NOT (color = 'red')", { color: 'red' }, false],
    ["name LIKE 'ab%'", { name: 'abc' }, true],
    ["name LIKE 'a_c'", { name: 'abc' }, true],
    ["name LIKE '100!%' ESCAPE '!'", { name: '100%' }, true],
    ["name LIKE '100!%' ESCAPE '!'", { name: '1000' }, false],
    ["name NOT LIKE 'x%'", { name: 'abc' }, true],
    ["color IN ('red', 'green')", { color: 'green' }, true],
    ["color NOT IN ('red', 'green')", { color: 'green' }, false],
    ['missing IS NULL', {}, true],
    ['n IS NOT NULL', { n: 1 }, true],
    ['EXISTS(n)', { n: 1 }, true],
    ['NOT EXISTS(n)', { n: 1 }, false],
    ['n * 2 + 1 = 15', { n: 7 }, true],
    ['n % 2 = 1', { n: 7 }, true],
    ['-n < 0', { n: 7 }, true],
    ['missing = 1', {}, false],
    ['flag = TRUE', { flag: true }, true],
    ["[odd name] = 'v'", { 'odd name': 'v' }, true],
    ["user.color = 'red'", { color: 'red' }, true],
  ];
  for (const [expression, props, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${expression} with ${JSON.stringify(props)}`, async () => {
      const rules = sb.client.createRuleManager('sql', 'probe');
      for (const rule of await listRules(rules)) await rules.deleteRule(rule.name);
      await rules.createRule('r', { sqlExpression: expression });
      await sb.client.createSender('sql').sendMessages({ body: 'probe', subject: 'a', applicationProperties: props as Record<string, string> });
      expect((await drain('probe', 'sql')).length).toBe(expected ? 1 : 0);
    });
  }
});
