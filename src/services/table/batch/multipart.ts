import { TableDomainError } from '../errors.js';

/** One HTTP request inside a changeset. */
export interface BatchPart {
  method: string;
  url: string;
  headers: Map<string, string>;
  body: string;
}

/** The `boundary` parameter of a multipart Content-Type. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

/**
 * Reads a batch body (multipart/mixed holding one multipart/mixed changeset
 * of application/http requests) into its requests, in order. Anything else
 * is InvalidInput: Azure runs only changesets of writes in a batch.
 */
export function parseBatch(body: string, batchBoundary: string): BatchPart[] {
  const [changeset] = partsOf(body, batchBoundary);
  if (!changeset || partsOf(body, batchBoundary).length !== 1) throw invalid('the batch must hold exactly one changeset');
  const { headers, content } = splitHeaders(changeset);
  const changesetBoundary = boundaryOf(headers.get('content-type'));
  if (!/^multipart\/mixed/i.test(headers.get('content-type') ?? '') || !changesetBoundary) throw invalid('the changeset is not multipart/mixed with a boundary');
  return partsOf(content, changesetBoundary).map((part) => {
    const mime = splitHeaders(part);
    if (!/^application\/http/i.test(mime.headers.get('content-type') ?? '')) throw invalid('each changeset part must be application/http');
    const http = splitHeaders(mime.content, true);
    const [method, url] = http.startLine.split(/\s+/);
    if (!method || !url) throw invalid(`the request line '${http.startLine}' is not valid`);
    return { method: method.toUpperCase(), url, headers: http.headers, body: http.content.trim() };
  });
}

// The text between `--boundary` lines, up to `--boundary--`.
function partsOf(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const end = body.indexOf(`${delimiter}--`);
  if (end === -1) throw invalid(`the closing boundary '${delimiter}--' is missing`);
  const chunks = body.slice(0, end).split(delimiter);
  return chunks.slice(1).map((chunk) => chunk.replace(/^[ \t]*\r?\n/, ''));
}

// Headers up to the first empty line; with `startLine`, the first line is an HTTP request line.
function splitHeaders(text: string, hasStartLine = false): { startLine: string; headers: Map<string, string>; content: string } {
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (hasStartLine && i < lines.length && lines[i]!.trim() === '') i++;
  const startLine = hasStartLine ? (lines[i++] ?? '') : '';
  const headers = new Map<string, string>();
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw invalid(`the header line '${line}' is not valid`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { startLine, headers, content: lines.slice(i + 1).join('\n') };
}

function invalid(reason: string): TableDomainError {
  return new TableDomainError('InvalidInput', `The batch request body is not valid: ${reason}.`);
}
