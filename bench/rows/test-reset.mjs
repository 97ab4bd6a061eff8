import { BlobServiceClient } from '@azure/storage-blob';
import { importLocalZure } from '../package.mjs';
import { withHost } from '../hosts.mjs';
import { alternate, percentile, time } from '../stats.mjs';

const RESETS = 300;

/** What one test leaves behind: a container with a blob. */
async function touch(client) {
  const container = client.getContainerClient('suite');
  await container.create();
  await container.getBlockBlobClient('a.txt').upload('hello', 5);
}

/**
 * The reset a test pays before it starts: resetLocalZure() from a test
 * worker (kept-alive control connection, one worker account) after the
 * previous test created a container and a blob, against Azurite restarted on
 * its port (timed inside Azurite's process, so with no round trip at all).
 */
export default async function testReset({ rounds, row }) {
  const title = `Per-test reset after a test wrote a container + blob (${RESETS} per round)`;
  const p50 = row('test-reset.p50', { title: `${title}: resetLocalZure() p50 vs Azurite restart p50`, unit: 'ms', better: 'lower' });
  const p99 = row('test-reset.p99', { title: `${title}: resetLocalZure() p99 vs Azurite restart p99`, unit: 'ms', better: 'lower' });
  const untouched = row('test-reset.untouched', { title: 'Per-test reset of an account the test never touched: resetLocalZure() p50 vs Azurite restart p50', unit: 'ms', better: 'lower' });
  p50.note('LocalZure: the emulator in a process of its own, resetLocalZure() from the bench process as a test worker calls it (its worker account, one kept-alive control connection); the touch before each reset is not timed. Azurite: close+clean+restart timed inside its own process.');
  const { ControlClient, workerAccount, environmentForAccount } = await importLocalZure();
  await withHost('localzure', 'blob', (lz) =>
    withHost('azurite', 'blob', async (az) => {
      const control = new ControlClient(lz.controlUrl);
      const base = baseEnvironment(lz);
      const account = workerAccount(base.account, '1');
      await control.registerNamespace(account);
      const worker = environmentForAccount(base, account);
      const clients = { localzure: BlobServiceClient.fromConnectionString(worker.connectionString), azurite: BlobServiceClient.fromConnectionString(az.connectionString) };
      const resets = {
        localzure: () => time(() => control.reset(account.name)),
        azurite: async () => (await az.call('restart')).ms,
      };
      await alternate(['localzure', 'azurite'], rounds, async (side, round) => {
        const touched = [];
        for (let i = 0; i < RESETS; i++) {
          await touch(clients[side]);
          touched.push(await resets[side]());
        }
        const idle = [];
        for (let i = 0; i < RESETS / 3; i++) idle.push(await resets[side]());
        if (round < 0) return;
        p50.add(side, percentile(touched, 50));
        p99.add(side, percentile(touched, 99));
        untouched.add(side, percentile(idle, 50));
      });
    }),
  );
}

// The host's default-account Environment, rebuilt from what it reports.
function baseEnvironment(host) {
  const parts = Object.fromEntries(host.connectionString.split(';').filter(Boolean).map((p) => p.split(/=(.*)/s).slice(0, 2)));
  return {
    services: ['blob'],
    controlUrl: host.controlUrl,
    account: { name: parts.AccountName, key: parts.AccountKey },
    endpoints: { blob: parts.BlobEndpoint },
    connectionString: host.connectionString,
    connectionStrings: {},
    env: {},
  };
}
