/**
 * Where a page of List Blobs starts. A name lists its snapshots (oldest
 * first) and then its base blob, so a page may have to start inside one
 * name: `item` is then the snapshot id, or `''` for the base blob. Without
 * `item`, the page starts with the name's first item.
 */
export interface ListPosition {
  name: string;
  item?: string;
}

// Markers are opaque to clients; a position inside a name needs both parts, so it travels encoded.
const ENCODED = /^1!([A-Za-z0-9_-]+)$/;

/** The NextMarker of a position: the plain name when the page starts at one, else its name and item encoded. */
export function encodeListMarker(position: ListPosition): string {
  if (position.item === undefined) return position.name;
  return `1!${Buffer.from(JSON.stringify([position.name, position.item]), 'utf8').toString('base64url')}`;
}

/** The position a `marker` names; anything that is not an encoded position is a name to start at. */
export function decodeListMarker(marker: string): ListPosition {
  const encoded = ENCODED.exec(marker)?.[1];
  if (encoded !== undefined) {
    try {
      const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
      if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return { name: value[0] as string, item: value[1] as string };
    } catch {
      // Not one of ours: a name like any other.
    }
  }
  return { name: marker };
}
