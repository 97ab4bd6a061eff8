import { commonErrors } from './storage-error.js';

// Azure's naming rules, shared by the services whose names follow them.

/** Containers and queues: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
export function isValidDnsStyleName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name);
}

/** A container or queue name from a request path: a wrong length is OutOfRangeInput, any other breach InvalidResourceName, as Azure answers. */
export function checkedDnsStyleName(name: string): string {
  if (name.length < 3 || name.length > 63) throw commonErrors.outOfRangeInput('The specified resource name length is not within the permissible limits.');
  if (!isValidDnsStyleName(name)) throw commonErrors.invalidResourceName();
  return name;
}

/** Metadata names must be valid C# identifiers. */
export function isValidMetadataName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Two metadata names that differ only in case are one name to Azure. */
export function hasDuplicateMetadataNames(metadata: Record<string, string>): boolean {
  const lower = Object.keys(metadata).map((k) => k.toLowerCase());
  return new Set(lower).size !== lower.length;
}
