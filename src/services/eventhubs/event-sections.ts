import rhea from 'rhea';

const { types } = rhea;
// rhea's typings leave the section reader and writer out of `types`.
interface SectionReader {
  position: number;
  remaining(): number;
  read(): { descriptor?: { value: unknown } };
}
const codec = types as unknown as {
  Reader: new (buffer: Buffer) => SectionReader;
  Writer: new () => { write(value: unknown): void; toBuffer(): Buffer };
};
const HEADER = 0x70;
const DELIVERY_ANNOTATIONS = 0x71;
const MESSAGE_ANNOTATIONS = 0x72;

/**
 * An event as encoded by its producer with the service's annotations put in
 * (merged over the producer's message annotations; delivery annotations
 * replaced), leaving properties, application properties and body as the
 * bytes that were sent: nothing past the annotations is decoded or encoded again.
 */
export function withAnnotations(encoded: Buffer, messageAnnotations: Record<string, unknown>, deliveryAnnotations?: Record<string, unknown>): Buffer {
  const reader = new codec.Reader(encoded);
  let header: Buffer | undefined;
  let own: Record<string, unknown> | undefined;
  let rest = encoded.length;
  while (reader.remaining()) {
    const start = reader.position;
    const code = Number(reader.read().descriptor?.value);
    const section = encoded.subarray(start, reader.position);
    if (code === HEADER) header = section;
    else if (code === MESSAGE_ANNOTATIONS) own = (rhea.message.decode(section) as { message_annotations?: Record<string, unknown> }).message_annotations;
    else if (code !== DELIVERY_ANNOTATIONS) {
      rest = start;
      break;
    }
  }
  const parts = header ? [header] : [];
  if (deliveryAnnotations) parts.push(mapSection(DELIVERY_ANNOTATIONS, deliveryAnnotations));
  parts.push(mapSection(MESSAGE_ANNOTATIONS, { ...own, ...messageAnnotations }), encoded.subarray(rest));
  return Buffer.concat(parts);
}

function mapSection(code: number, map: Record<string, unknown>): Buffer {
  const writer = new codec.Writer();
  writer.write(types.described(types.wrap_ulong(code), types.wrap_symbolic_map(map)));
  return writer.toBuffer();
}
