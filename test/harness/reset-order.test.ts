import { afterEach, expect, it } from 'vitest';
import { withLocalZure, type ServiceEvent } from '../../src/index.js';
import { PLUGIN_PROJECT, quietLogger } from './support.js';

const lz = withLocalZure(['kv-search'], { cwd: PLUGIN_PROJECT, logger: quietLogger });
afterEach(() => lz.teardown());

// kv-search needs kv-index, which needs kv.
it('resets dependents before their dependencies, then re-seeds in start order', async () => {
  await lz.setup();
  const events: ServiceEvent[] = [];
  lz.runtime.manager.addEventListener((event) => events.push(event));

  await lz.reset();

  expect(events.map((e) => `${e.operation}:${e.serviceName}`)).toEqual([
    'reset:kv-search',
    'reset:kv-index',
    'reset:kv',
    'seed:kv',
    'seed:kv-index',
    'seed:kv-search',
  ]);
  expect(events.every((e) => e.namespace === lz.environment.account.name)).toBe(true);
});

it('resets only a service and its dependents when one service is named', async () => {
  await lz.setup();
  const events: ServiceEvent[] = [];
  lz.runtime.manager.addEventListener((event) => events.push(event));

  await lz.reset('kv-index');

  expect(events.map((e) => `${e.operation}:${e.serviceName}`)).toEqual([
    'reset:kv-search',
    'reset:kv-index',
    'seed:kv-index',
    'seed:kv-search',
  ]);
});
