import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Namespace, NamespaceRegistry } from '../../core/namespaces.js';
import { CosmosError } from './errors.js';

/** The key Microsoft's Cosmos DB emulators accept (their images take no other); LocalZure takes it for the default namespace. */
export const COSMOS_EMULATOR_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface SignedRequest {
  method: string;
  /** `dbs`, `colls`, `docs`, ... or '' for the account. */
  resourceType: string;
  /** The resource (or the parent of a feed) as the client names it: `dbs/shop/colls/orders`. */
  resourceLink: string;
  authorization: string | undefined;
  date: string | undefined;
}

const unauthorized = (message: string) => new CosmosError('Unauthorized', message);

/**
 * Finds the namespace whose key signed the request: each worker has a key of
 * its own on the same endpoint, so the signature tells them apart. The
 * string-to-sign is Cosmos DB's master-key payload (verb, resource type,
 * resource link, date); a signature no key produced is 401, naming that
 * payload as Azure does.
 */
export class MasterKeyVerifier {
  readonly #keys = new Map<string, Buffer>();

  constructor(private readonly namespaces: NamespaceRegistry) {}

  verify(request: SignedRequest): Namespace {
    const { authorization, date } = request;
    if (authorization === undefined) throw unauthorized('Required Header authorization is missing. Ensure a valid Authorization token is passed.');
    const token = parseToken(authorization);
    const type = token.get('type');
    if (type !== 'master') {
      throw unauthorized(`LocalZure's Cosmos DB emulator accepts master-key authorization only (type=master); got type=${type ?? '(none)'}. Resource tokens and Entra ID tokens are not supported yet.`);
    }
    const signature = Buffer.from(token.get('sig') ?? '', 'base64');
    if (date === undefined || Number.isNaN(Date.parse(date))) {
      throw unauthorized('The input date header is invalid format. Please pass in RFC 1123 style date format.');
    }
    const payload = `${request.method.toLowerCase()}\n${request.resourceType.toLowerCase()}\n${request.resourceLink}\n${date.toLowerCase()}\n\n`;
    const namespaces = this.namespaces.list();
    for (const namespace of namespaces) {
      if (signedBy(this.#key(namespace.key), payload, signature)) return namespace;
    }
    if (namespaces[0] && signedBy(this.#key(COSMOS_EMULATOR_KEY), payload, signature)) return namespaces[0];
    throw unauthorized(
      `The input authorization token can't serve the request. The wrong key is being used or the expected payload is not built as per the protocol. Server used the following payload to sign: '${payload.replace(/\n/g, '\\n')}'`,
    );
  }

  #key(text: string): Buffer {
    let key = this.#keys.get(text);
    if (!key) this.#keys.set(text, (key = Buffer.from(text, 'base64')));
    return key;
  }
}

// Not URLSearchParams: it would read the '+' of a base64 signature as a space.
function parseToken(authorization: string): Map<string, string> {
  let text: string;
  try {
    text = decodeURIComponent(authorization);
  } catch {
    throw unauthorized('The authorization token is not valid percent-encoding.');
  }
  const fields = new Map<string, string>();
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return fields;
}

function signedBy(key: Buffer, payload: string, signature: Buffer): boolean {
  const expected = createHmac('sha256', key).update(payload).digest();
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}
