import { commonErrors } from '../storage-common/storage-error.js';
import { BlobDomainError } from './errors.js';

// Blob index tags: their rules, the x-ms-tags header and the `where` expressions of Find Blobs by Tags.

const TAG_TEXT = /^[A-Za-z0-9 +\-./:=_]*$/;

/** Whether a tag key or value uses only the characters Azure allows in tags. */
export const isTagText = (text: string): boolean => TAG_TEXT.test(text);

/**
 * At most 10 tags; keys 1-128 and values 0-256 characters of letters, digits,
 * space and `+-./:=_`. Going over a limit is TagsTooLarge ("exceed the maximum
 * permissible limit"); InvalidTag is for characters that are not permitted.
 */
export function validateTags(tags: Record<string, string>): Record<string, string> {
  const entries = Object.entries(tags);
  if (entries.length > 10) throw new BlobDomainError('TagsTooLarge');
  for (const [key, value] of entries) {
    if (key.length > 128 || value.length > 256) throw new BlobDomainError('TagsTooLarge');
    if (key.length < 1 || !TAG_TEXT.test(key) || !TAG_TEXT.test(value)) throw new BlobDomainError('InvalidTag');
  }
  return tags;
}

/** `x-ms-tags: k1=v1&k2=v2` (URL-encoded) as a tag set. */
export function parseTagsHeader(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const key = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      if (key in tags) throw commonErrors.invalidHeaderValue('x-ms-tags', text);
      tags[key] = decodeURIComponent((eq === -1 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '));
    } catch (error) {
      if (error instanceof URIError) throw commonErrors.invalidHeaderValue('x-ms-tags', text);
      throw error;
    }
  }
  return validateTags(tags);
}

export type TagOperator = '=' | '>' | '>=' | '<' | '<=';

export interface TagCondition {
  /** A tag key, or `@container`. */
  key: string;
  operator: TagOperator;
  value: string;
}

/**
 * Parses `"key" = 'value' AND @container = 'c' AND k2 >= '5'`: conditions
 * joined by AND, keys bare (letters, digits, `_`) or double-quoted, values single-quoted.
 * Undefined when the text is not such an expression.
 */
export function parseTagFilter(text: string): TagCondition[] | undefined {
  const token = /\s*(?:"((?:[^"]|"")*)"|(@container|[A-Za-z0-9_]+?)(?=\s*(?:>=|<=|=|<|>)))\s*(>=|<=|=|<|>)\s*'((?:[^']|'')*)'\s*/y;
  const conditions: TagCondition[] = [];
  let at = 0;
  for (;;) {
    token.lastIndex = at;
    const match = token.exec(text);
    if (!match) return undefined;
    const key = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!;
    conditions.push({ key, operator: match[3] as TagOperator, value: match[4]!.replace(/''/g, "'") });
    at = token.lastIndex;
    if (at === text.length) return conditions;
    const and = /AND\s+/iy;
    and.lastIndex = at;
    if (!and.exec(text)) return undefined;
    at = and.lastIndex;
  }
}

/** Whether a blob's tags (and container) satisfy every condition. */
export function tagsMatch(conditions: TagCondition[], tags: Record<string, string>, container: string): boolean {
  return conditions.every(({ key, operator, value }) => {
    const actual = key === '@container' ? container : tags[key];
    if (actual === undefined) return false;
    switch (operator) {
      case '=':
        return actual === value;
      case '>':
        return actual > value;
      case '>=':
        return actual >= value;
      case '<':
        return actual < value;
      case '<=':
        return actual <= value;
    }
  });
}
