import type { SnapshotAdapter } from '../../core/snapshot-json.js';
import { ChunkedContent, PageContent, type PageRun } from './content.js';

/** Block and append blob bytes in a snapshot file: one base64 string. */
const chunkedContentAdapter: SnapshotAdapter<ChunkedContent> = {
  tag: 'ChunkedContent',
  accepts: (value): value is ChunkedContent => value instanceof ChunkedContent,
  encode: (content) => Buffer.concat(content.chunks as Buffer[]).toString('base64'),
  decode: (base64) => {
    if (typeof base64 !== 'string') throw new TypeError('blob content is a base64 string');
    return new ChunkedContent([Buffer.from(base64, 'base64')]);
  },
};

/** Page blob bytes in a snapshot file: the size and the written runs, each with its base64 bytes. */
const pageContentAdapter: SnapshotAdapter<PageContent> = {
  tag: 'PageContent',
  accepts: (value): value is PageContent => value instanceof PageContent,
  encode: (content, encode) => ({ length: content.length, runs: content.runs.map((run) => ({ start: run.start, data: encode(run.data) })) }),
  decode: (value, decode) => {
    const { length, runs } = value as { length: number; runs: Array<{ start: number; data: unknown }> };
    if (typeof length !== 'number' || !Array.isArray(runs)) throw new TypeError('page blob content needs its length and runs');
    return new PageContent(length, runs.map((run): PageRun => ({ start: run.start, data: decode(run.data) as ChunkedContent })));
  },
};

export const BLOB_SNAPSHOT_ADAPTERS: SnapshotAdapter[] = [chunkedContentAdapter as SnapshotAdapter, pageContentAdapter as SnapshotAdapter];
