import { isoDate7, parseDate } from './dates.js';
import { commonErrors } from './storage-error.js';
import { asArray, parseXml, type XmlNode } from './xml.js';

/** A stored access policy of a container, queue or table: a service SAS may name it with `si`. */
export interface SignedIdentifier {
  id: string;
  start?: string;
  expiry?: string;
  permissions?: string;
}

/** Azure keeps at most five stored access policies per resource. */
export const MAX_SIGNED_IDENTIFIERS = 5;

/**
 * Reads a `<SignedIdentifiers>` body (an empty body clears every policy).
 * Ids must be 1-64 characters; more than five policies, or dates that are
 * not dates, are InvalidXmlDocument. Dates come back in Azure's seven-digit
 * ISO form, as Azure answers them. With `permissionLetters`, a policy
 * granting any other letter is InvalidXmlDocument too.
 */
export function parseSignedIdentifiers(text: string, permissionLetters?: string): SignedIdentifier[] {
  if (text.trim() === '') return [];
  const root = parseXml(text).SignedIdentifiers as Record<string, unknown> | string | undefined;
  if (root === undefined) throw commonErrors.invalidXmlDocument();
  const entries = typeof root === 'object' ? asArray(root.SignedIdentifier as Record<string, unknown> | Record<string, unknown>[]) : [];
  if (entries.length > MAX_SIGNED_IDENTIFIERS) throw commonErrors.invalidXmlDocument();
  return entries.map((entry) => {
    const id = typeof entry.Id === 'string' ? entry.Id : '';
    if (id === '' || id.length > 64) throw commonErrors.invalidXmlDocument();
    const policy = (typeof entry.AccessPolicy === 'object' && entry.AccessPolicy !== null ? entry.AccessPolicy : {}) as Record<string, unknown>;
    const start = isoOrUndefined(policy.Start);
    const expiry = isoOrUndefined(policy.Expiry);
    const permissions = typeof policy.Permission === 'string' && policy.Permission !== '' ? policy.Permission : undefined;
    if (permissions !== undefined && permissionLetters !== undefined && [...permissions].some((letter) => !permissionLetters.includes(letter))) {
      throw commonErrors.invalidXmlDocument();
    }
    return { id, ...(start && { start }), ...(expiry && { expiry }), ...(permissions && { permissions }) };
  });
}

/** The `<SignedIdentifiers>` document of Get ACL. */
export function signedIdentifiersXml(identifiers: SignedIdentifier[]): XmlNode {
  return {
    SignedIdentifiers: {
      SignedIdentifier: identifiers.map((s) => ({
        Id: s.id,
        AccessPolicy: {
          ...(s.start !== undefined ? { Start: s.start } : {}),
          ...(s.expiry !== undefined ? { Expiry: s.expiry } : {}),
          ...(s.permissions !== undefined ? { Permission: s.permissions } : {}),
        },
      })),
    },
  };
}

function isoOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = parseDate(value);
  if (ms === undefined) throw commonErrors.invalidXmlDocument();
  return isoDate7(ms);
}
