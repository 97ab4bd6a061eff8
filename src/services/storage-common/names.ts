// Azure's naming rules, shared by the services whose names follow them.

/** Containers and queues: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
export function isValidDnsStyleName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name);
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
