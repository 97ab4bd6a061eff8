import { randomBytes } from 'node:crypto';
import { MiB } from '../stats.mjs';
import { transfer } from './large-blob.mjs';

const SIZE = 256 * MiB;
// Issue 3: resident memory grows by no more than about the data held.
const LIMIT = 1.25;

/** 256 MiB through uploadData/downloadToBuffer: the emulator's RSS growth over the data it holds. */
export default async function memoryCheck({ row }) {
  const growth = row('memory.growth', { title: '256 MiB up+down: emulator peak RSS growth ÷ data held', unit: '×', better: 'lower', limit: LIMIT });
  const peak = row('memory.peak', { title: '256 MiB up+down: emulator peak RSS growth', unit: 'MiB', better: 'lower' });
  growth.note(`Growth is peak RSS (kernel high-water mark) minus RSS before the transfer; the limit is ${LIMIT}× the ${SIZE / MiB} MiB held.`);
  const data = randomBytes(SIZE);
  for (const side of ['localzure', 'azurite']) {
    const result = await transfer(side, data);
    growth.add(side, (result.peakRss - result.baseRss) / SIZE);
    peak.add(side, (result.peakRss - result.baseRss) / MiB);
  }
}
