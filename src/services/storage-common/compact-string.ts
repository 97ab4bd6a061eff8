/**
 * The same ASCII text as one flat run of characters. A string built by a
 * template literal is a rope of parts, and one from `crypto.randomUUID()`
 * holds about 450 bytes more than its 36 characters; a store that keeps one
 * such string per item (an ETag, a message id) pays that per item.
 */
export function compactAscii(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}
