// What a growth host (bench/host.mjs with a fill count) holds: one container,
// queue or table named `growth` with that many one-byte items, loaded as an
// inline seed so that filling 100,000 items takes a moment, not minutes of HTTP.

export const GROWTH = 'growth';
export const PARTITIONS = 100;

export const blobName = (i) => `b${String(i).padStart(6, '0')}`;
export const entityKeys = (i) => ({ partitionKey: `p${i % PARTITIONS}`, rowKey: `r${String(i).padStart(6, '0')}` });

export function growthSeed(service, count) {
  // Out of name order, as real data arrives: a store that sorts on every page must not get sorted input for free.
  const items = Array.from({ length: count }, (_, i) => (i * 7919) % count);
  switch (service) {
    case 'blob':
      return { blob: { [GROWTH]: Object.fromEntries(items.map((i) => [blobName(i), 'x'])) } };
    case 'queue':
      return { queue: { [GROWTH]: items.map(() => 'x') } };
    case 'table':
      return { table: { [GROWTH]: items.map((i) => ({ ...entityKeys(i), n: i })) } };
    default:
      throw new Error(`no growth seed for ${service}`);
  }
}
