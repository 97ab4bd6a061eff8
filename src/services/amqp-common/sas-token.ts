import { createHmac, timingSafeEqual } from 'node:crypto';
import { AmqpCondition, AmqpWireError } from './errors.js';

/** What a verified shared access signature grants. */
export interface SasGrant {
  keyName: string;
  /** The decoded `sr`: the URI the token is good for, e.g. `sb://127.0.0.1:5672/orders`. */
  audience: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const unauthorized = (why: string) => new AmqpWireError(AmqpCondition.UnauthorizedAccess, `Unauthorized access. ${why}`);

/**
 * Checks a `SharedAccessSignature sr=..&sig=..&se=..&skn=..` token the way
 * Azure does: the signature is HMAC-SHA256, keyed with the key text, over the
 * URL-encoded audience, a newline and the expiry (epoch seconds); the key is
 * the one named by `skn`; the token must not have expired (see tokenExpired;
 * `now` is the emulators' clock). Throws AmqpWireError
 * `amqp:unauthorized-access` saying which check failed.
 *
 * @example
 * const grant = verifySasToken(token, (name) => keys.get(name), clock.now());
 */
export function verifySasToken(token: unknown, keyFor: (keyName: string) => string | undefined, now: number): SasGrant {
  if (typeof token !== 'string' || !token.startsWith('SharedAccessSignature ')) {
    throw unauthorized('The token is not a SharedAccessSignature; send a SAS token (type servicebus.windows.net:sastoken).');
  }
  const fields = new Map<string, string>();
  for (const part of token.slice('SharedAccessSignature '.length).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (sr === undefined || sig === undefined || se === undefined || skn === undefined) {
    throw unauthorized('The SharedAccessSignature lacks one of sr, sig, se and skn.');
  }
  const keyName = safeDecode(skn);
  const key = keyFor(keyName);
  if (key === undefined) throw unauthorized(`No authorization rule named '${keyName}' exists on this namespace.`);
  const expected = createHmac('sha256', key).update(`${sr}\n${se}`).digest();
  const given = Buffer.from(safeDecode(sig), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthorized(`The token's signature does not match the key of '${keyName}'.`);
  }
  const expirySeconds = Number(se);
  if (!Number.isFinite(expirySeconds)) throw unauthorized(`The token's expiry '${se}' is not a number of seconds.`);
  const expiresAt = expirySeconds * 1000;
  if (tokenExpired(expiresAt, now)) {
    throw unauthorized(`ExpiredToken: the token expired at ${new Date(expiresAt).toISOString()}, before both the emulators' clock (${new Date(now).toISOString()}) and the wall clock.`);
  }
  return { keyName, audience: safeDecode(sr), expiresAt };
}

/**
 * Whether a token good until `expiresAt` has expired. The SDKs sign tokens
 * for an hour of wall-clock time, while tests move the emulators' clock
 * (`now`) ahead: a token is expired only once it is past on both clocks,
 * the same window Shared Key request dates get in storage.
 */
export function tokenExpired(expiresAt: number, now: number): boolean {
  return expiresAt <= Math.min(now, Date.now());
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
