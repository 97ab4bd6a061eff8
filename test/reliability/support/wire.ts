import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** A request as the fuzzer builds it: every byte of the path, query and headers is chosen. */
export interface RawRequest {
  method: string;
  /** Path and query exactly as sent, percent-encoding included (or deliberately broken). */
  target: string;
  headers: Array<[string, string]>;
  body?: Buffer;
}

export interface RawResponse {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The request got no complete answer within the time allowed. */
  timedOut?: boolean;
  /** The connection failed before an answer arrived. */
  error?: string;
}

/**
 * Sends one request over a keep-alive agent, with a hard per-request
 * timeout: a server that never answers shows up as `timedOut`, not as a
 * test that hangs.
 */
export function send(agent: Agent, port: number, req: RawRequest, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (response: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of req.headers) {
      const existing = headers[name];
      headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
    // Node frames bodies of GET, HEAD and DELETE only when told their length.
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const outgoing = httpRequest({ agent, host: '127.0.0.1', port, method: req.method, path: req.target, headers });
    const timer = setTimeout(() => {
      outgoing.destroy();
      done({ headers: {}, body: '', timedOut: true });
    }, timeoutMs);
    outgoing.on('error', (error) => done({ headers: {}, body: '', error: String(error) }));
    outgoing.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => done({ status: res.statusCode, headers: res.headers, body: '', error: String(error) }));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.end(req.body);
  });
}

/**
 * Writes bytes on a fresh TCP connection and reads what comes back until the
 * server closes it, `settleMs` of silence passes after a full answer, or the
 * timeout hits. For what node:http refuses to send: lying Content-Length,
 * broken request lines, raw bytes in headers.
 */
export function sendBytes(port: number, bytes: Buffer, options: { halfClose?: boolean; timeoutMs?: number; settleMs?: number } = {}): Promise<{ text: string; timedOut: boolean; closed: boolean }> {
  const { halfClose = true, timeoutMs = 5_000, settleMs = 150 } = options;
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    let quiet: NodeJS.Timeout | undefined;
    const done = (timedOut: boolean, closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(quiet);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), timedOut, closed });
    };
    const timer = setTimeout(() => done(chunks.length === 0, false), timeoutMs);
    socket.on('error', () => done(false, true));
    socket.on('close', () => done(false, true));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(quiet);
      quiet = setTimeout(() => done(false, false), settleMs);
    });
    socket.write(bytes, () => {
      if (halfClose) socket.end();
    });
  });
}

/** Splits raw HTTP/1.1 answers read from a socket into status and headers (bodies skipped by Content-Length). */
export function parseAnswers(text: string): Array<{ status: number; headers: Record<string, string>; body: string }> {
  const answers: Array<{ status: number; headers: Record<string, string>; body: string }> = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    answers.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return answers;
}

/**
 * What is wrong with an answer to a hostile request, or undefined when it is
 * fine: a success, or a 4xx carrying Azure's error shape (x-ms-error-code,
 * x-ms-request-id and, unless HEAD, a body naming the same code).
 */
export function answerViolation(method: string, response: { status?: number; headers: Record<string, unknown>; body: string; timedOut?: boolean; error?: string }, format: 'xml' | 'json' = 'xml'): string | undefined {
  if (response.timedOut) return 'no answer before the timeout (hang)';
  if (response.error !== undefined) return `connection failed: ${response.error}`;
  const status = response.status ?? 0;
  if (status >= 500) return `answered ${status}`;
  if (status < 400) return undefined;
  const code = response.headers['x-ms-error-code'];
  if (typeof code !== 'string' || code === '') return `${status} without x-ms-error-code`;
  if (typeof response.headers['x-ms-request-id'] !== 'string') return `${status} ${code} without x-ms-request-id`;
  // Requests Node could not parse are answered before any method is known: headers only, then the connection closes.
  if (method === 'HEAD' || (response.body === '' && response.headers.connection === 'close')) return undefined;
  const xmlCode = /<Error>\s*<Code>([^<]*)<\/Code>/.exec(response.body)?.[1];
  const jsonCode = /^\{"odata\.error":\{"code":"([^"]*)"/.exec(response.body)?.[1];
  const bodyCode = format === 'xml' ? xmlCode : (jsonCode ?? xmlCode);
  if (bodyCode !== code) return `${status} ${code}: error body does not name the code: ${response.body.slice(0, 200)}`;
  return undefined;
}
