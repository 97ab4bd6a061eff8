// Rows of measurements, each LocalZure against Azurite, and what they add up to.
import { median } from './stats.mjs';

export const SIDES = ['localzure', 'azurite'];

/**
 * @param {string} id
 * @param {{ title: string, unit: string, better: 'lower'|'higher', target?: number }} spec
 *   target: how many times better than Azurite LocalZure should be (1 = at least equal);
 *   limit: an absolute bound on LocalZure's median instead;
 *   maxRatio: a bound on LocalZure's median over the right-hand column's (rows comparing LocalZure with itself);
 *   floorName: what the floor is ('bare node:http floor' unless told); floorAim: the share of the floor to reach (0.25 unless told;
 *   undefined: the floor only bounds the ratio); baselineName: what the right-hand column holds ('Azurite' unless told).
 */
export function createRow(id, spec) {
  const row = { id, floorName: 'bare node:http floor', floorAim: 0.25, baselineName: 'Azurite', ...spec, samples: { localzure: [], azurite: [] }, floor: [], notes: [], skipped: undefined };
  return Object.assign(row, {
    add: (side, value) => row.samples[side].push(value),
    /** The floor's result (a bare server doing the same work), which both emulators are compared with. */
    addFloor: (value) => row.floor.push(value),
    note: (text) => row.notes.push(text),
    skip: (reason) => (row.skipped = reason),
  });
}

const stats = (values) =>
  values.length === 0 ? undefined : { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };

/** Medians, the LocalZure/Azurite ratio, and whether the target is met. */
export function summarize(row) {
  const localzure = stats(row.samples.localzure);
  const azurite = stats(row.samples.azurite);
  const ratio = localzure && azurite ? localzure.median / azurite.median : undefined;
  // How many times better LocalZure is, whichever direction "better" runs.
  const advantage = ratio === undefined ? undefined : row.better === 'lower' ? 1 / ratio : ratio;
  let met;
  if (row.maxRatio !== undefined && ratio !== undefined) met = ratio <= row.maxRatio;
  else if (row.limit !== undefined && localzure) met = row.better === 'lower' ? localzure.median <= row.limit : localzure.median >= row.limit;
  else if (row.target !== undefined && advantage !== undefined) met = advantage >= row.target;
  return {
    id: row.id,
    title: row.title,
    unit: row.unit,
    better: row.better,
    target: row.target,
    limit: row.limit,
    maxRatio: row.maxRatio,
    floorName: row.floorName,
    floorAim: row.floorAim,
    baselineName: row.baselineName,
    skipped: row.skipped,
    notes: row.notes,
    localzure,
    azurite,
    floor: stats(row.floor),
    ratio,
    advantage,
    met,
    samples: { ...row.samples, ...(row.floor.length ? { floor: row.floor } : {}) },
  };
}
