/** What the guard makes of the bytes so far. */
export type FrameVerdict = { ok: true } | { ok: false; reason: 'not-amqp' | 'frame-too-large'; detail: string };

const HEADER = Buffer.from('AMQP');
/** A frame size that reads "AMQP" is the protocol header that starts the AMQP layer after SASL. */
const HEADER_AS_SIZE = HEADER.readUInt32BE(0);

/**
 * Follows the framing of an incoming AMQP byte stream (protocol headers,
 * then size-prefixed frames) without decoding it, to refuse what rhea would
 * otherwise wait for forever or drop without a word: a peer that is not
 * speaking AMQP, and frames larger than the connection allows.
 */
export class FrameGuard {
  // Bytes of the current header or frame still to skip, and of the size field still to read.
  #skip = 0;
  #pending = Buffer.alloc(0);
  #expectHeader = true;

  constructor(readonly maxFrameSize: number) {}

  feed(chunk: Buffer): FrameVerdict {
    let data = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    for (;;) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, data.length);
        this.#skip -= n;
        data = data.subarray(n);
      }
      if (data.length === 0) return { ok: true };
      if (this.#expectHeader) {
        if (data.length < 4) return this.#wait(data);
        if (!data.subarray(0, 4).equals(HEADER)) return { ok: false, reason: 'not-amqp', detail: `expected the AMQP protocol header, got 0x${data.subarray(0, 4).toString('hex')}` };
        this.#expectHeader = false;
        this.#skip = 8;
        continue;
      }
      if (data.length < 4) return this.#wait(data);
      const size = data.readUInt32BE(0);
      if (size === HEADER_AS_SIZE) {
        this.#expectHeader = true;
        continue;
      }
      if (size < 8 || size > this.maxFrameSize) {
        return { ok: false, reason: 'frame-too-large', detail: `a frame of ${size} bytes; this connection allows 8 to ${this.maxFrameSize}` };
      }
      this.#skip = size;
    }
  }

  #wait(data: Buffer): FrameVerdict {
    this.#pending = Buffer.from(data);
    return { ok: true };
  }
}
