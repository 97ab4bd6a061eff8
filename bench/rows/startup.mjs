import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packageDir } from '../package.mjs';
import { MiB, alternate } from '../stats.mjs';

const CHILD = fileURLToPath(new URL('../startup-child.mjs', import.meta.url));
const run = promisify(execFile);

/** Cold start, each in a fresh process: emulator load + start, import → first container, RSS then. */
export default async function startup({ rounds, row }) {
  const own = row('startup.own', { title: 'Start-up: emulator load + start', unit: 'ms', better: 'lower', target: 10 });
  const total = row('startup.total', { title: 'Start-up: script start → first createContainer', unit: 'ms', better: 'lower' });
  const rss = row('startup.rss', { title: 'Start-up: process RSS at first container', unit: 'MiB', better: 'lower' });
  own.note('LocalZure starts through LocalZureRuntime (discovery, blob, control API); Azurite is its BlobServer. The SDK import is excluded from "load + start" and included in "first createContainer" for both.');
  await alternate(['localzure', 'azurite'], rounds, async (side, round) => {
    const { stdout } = await run(process.execPath, [CHILD, side], { cwd: packageDir(), timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1));
    if (round < 0) return;
    own.add(side, result.ownMs);
    total.add(side, result.totalMs);
    rss.add(side, result.rss / MiB);
  });
}
