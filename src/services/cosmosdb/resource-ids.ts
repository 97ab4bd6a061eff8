import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Cosmos DB's resource ids (`_rid`): base64 of a database's 4 bytes, a
 * container's 8 (its database's and its own), an item's 16. Clients treat
 * them as opaque, but `_self` links are built from them.
 */
export function databaseRid(): Buffer {
  return randomBytes(4);
}

export function containerRid(database: Buffer): Buffer {
  const own = randomBytes(4);
  // Azure sets the top bit of a collection's own part; the SDK's ResourceId parser relies on it.
  own[0] = own[0]! | 0x80;
  return Buffer.concat([database, own]);
}

export function itemRid(container: Buffer, sequence: number): Buffer {
  const own = Buffer.alloc(8);
  own.writeBigUInt64BE(BigInt(sequence));
  return Buffer.concat([container, own]);
}

export function ridText(rid: Buffer): string {
  return rid.toString('base64').replace(/\//g, '-');
}

/** A fresh `_etag`, quoted as Azure sends it. */
export function newEtag(): string {
  return `"${randomUUID()}"`;
}
