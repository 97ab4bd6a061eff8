// multipart/mixed bodies of application/http messages, as storage batch requests carry them.

/** One HTTP message of a multipart part: its MIME headers, start line, headers (names lowercased, raw order kept) and body. */
export interface HttpPart {
  mimeHeaders: Map<string, string>;
  startLine: string;
  headers: [name: string, value: string][];
  body: string;
}

/** Thrown for a body that is not multipart of HTTP messages; the service maps it to its own error. */
export class MalformedMultipart extends Error {}

export type BoundaryResult = { boundary: string } | { problem: 'missing' | 'duplicate' };

/**
 * The `boundary` parameter of a Content-Type: names case-insensitive, spaces
 * around the value ignored, `=` allowed inside it, quotes optional.
 */
export function multipartBoundary(contentType: string): BoundaryResult {
  const values = contentType
    .split(';')
    .slice(1)
    .map((p) => p.trim())
    .filter((p) => p.toLowerCase().startsWith('boundary='))
    .map((p) => p.slice('boundary='.length).trim().replace(/^"(.*)"$/, '$1'));
  if (values.length > 1) return { problem: 'duplicate' };
  return values[0] ? { boundary: values[0] } : { problem: 'missing' };
}

/** The HTTP messages between `--boundary` lines, up to `--boundary--`. */
export function parseHttpParts(body: string, boundary: string): HttpPart[] {
  const delimiter = `--${boundary}`;
  const end = body.indexOf(`${delimiter}--`);
  if (end === -1) throw new MalformedMultipart(`the closing boundary '${delimiter}--' is missing`);
  return body
    .slice(0, end)
    .split(delimiter)
    .slice(1)
    .map((chunk) => {
      const lines = chunk.replace(/^[ \t]*\r?\n/, '').split(/\r?\n/);
      const mime = readHeaders(lines, 0);
      let at = mime.next;
      while (at < lines.length && lines[at]!.trim() === '') at++;
      const startLine = lines[at] ?? '';
      const http = readHeaders(lines, at + 1);
      return {
        mimeHeaders: new Map(mime.headers.map(([name, value]) => [name.toLowerCase(), value])),
        startLine,
        headers: http.headers,
        body: lines.slice(http.next + 1).join('\r\n').trim(),
      };
    });
}

function readHeaders(lines: string[], from: number): { headers: [string, string][]; next: number } {
  const headers: [string, string][] = [];
  let i = from;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MalformedMultipart(`the header line '${line}' is not valid`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers, next: i };
}
