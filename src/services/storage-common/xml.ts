import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { commonErrors } from './storage-error.js';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', suppressEmptyNode: false });

// Values stay strings: block ids, tag values and names must not turn into numbers.
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true });
const orderedParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, preserveOrder: true });

/** One XML element: child elements by name (arrays repeat the element), `@name` attributes, `#text` text. */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];

/** Serialises `{ Root: {...} }` with the XML declaration Azure sends. */
export function toXml(document: XmlNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build(document) as string}`;
}

/** Parses a request body; malformed XML is Azure's `InvalidXmlDocument`. Whitespace-only text is dropped. */
export function parseXml(text: string): Record<string, unknown> {
  try {
    return stripWhitespace(parser.parse(text, true)) as Record<string, unknown>;
  } catch {
    throw commonErrors.invalidXmlDocument();
  }
}

/**
 * Parses keeping the document order of sibling elements (needed where order
 * carries meaning, like a block list): each element is `{ name: children }`.
 */
export function parseOrderedXml(text: string): OrderedXmlElement[] {
  try {
    return orderedParser.parse(text, true) as OrderedXmlElement[];
  } catch {
    throw commonErrors.invalidXmlDocument();
  }
}

export type OrderedXmlElement = { [name: string]: OrderedXmlElement[] | string };

/** Text of an element parsed in document order (`[{ '#text': 'x' }]`). */
export function orderedText(children: OrderedXmlElement[] | string | undefined): string {
  if (!Array.isArray(children)) return '';
  return children.map((c) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
}

/** An element that may occur once or many times, always as an array. */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function stripWhitespace(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripWhitespace);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const entries = Object.entries(value);
    const hasElements = entries.some(([k]) => k !== '#text');
    for (const [k, v] of entries) {
      if (k === '#text' && hasElements && typeof v === 'string' && v.trim() === '') continue;
      out[k] = stripWhitespace(v);
    }
    return out;
  }
  return value;
}
