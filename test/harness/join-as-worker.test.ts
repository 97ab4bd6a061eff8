import { afterEach, beforeEach, expect, it } from 'vitest';
import { joinAsWorker } from '../../src/harness/worker.js';
import { withLocalZure, type Environment, type LocalZureHarness } from '../../src/index.js';
import { KV_SEED, PLUGIN_PROJECT, kvEntries, kvPut, quietLogger } from './support.js';
import { recordedHooks } from './recorded-hooks.js';

let lz: LocalZureHarness;
let base: Environment;
let savedEnv: NodeJS.ProcessEnv;
beforeEach(async () => {
  savedEnv = { ...process.env };
  lz = withLocalZure(['kv'], { cwd: PLUGIN_PROJECT, logger: quietLogger, seed: KV_SEED });
  base = await lz.setup();
});
afterEach(async () => {
  await lz.teardown();
  process.env = savedEnv;
});

it('points process.env at the worker\'s own account', () => {
  const env = joinAsWorker({ environment: base, resetBetweenTests: true }, recordedHooks(), '4');
  expect(process.env.AZURE_STORAGE_CONNECTION_STRING).toBe(env.connectionString);
  expect(process.env.LOCALZURE_ACCOUNT_NAME).toBe('devstoreaccount1w4');
});

it('creates its account before the first test and resets it before every test', async () => {
  const hooks = recordedHooks();
  const env = joinAsWorker({ environment: base, resetBetweenTests: true }, hooks, '4');
  const seen: Record<string, string>[] = [];
  const writeThenLook = async () => {
    seen.push(await kvEntries(env.endpoints.kv!));
    await kvPut(env.endpoints.kv!, 'left-over', 'from the previous test');
  };
  await hooks.runFile(writeThenLook, writeThenLook);
  expect(seen).toEqual([{ greeting: 'hello from the seed folder' }, { greeting: 'hello from the seed folder' }]);
});

it('keeps data between tests when resets are off', async () => {
  const hooks = recordedHooks();
  const env = joinAsWorker({ environment: base, resetBetweenTests: false, guard: false }, hooks, '4');
  expect(hooks.beforeEachHooks).toHaveLength(0);
  await hooks.runFile(
    () => kvPut(env.endpoints.kv!, 'kept', 'yes'),
    async () => expect((await kvEntries(env.endpoints.kv!)).kept).toBe('yes'),
  );
});
