import { hasDuplicateMetadataNames, isValidMetadataName } from './names.js';
import { metadataHeaders, type StorageRequest } from './request.js';
import { commonErrors } from './storage-error.js';

/** The request's `x-ms-meta-*` headers; names that are not C# identifiers, or repeat in another case, are InvalidMetadata. */
export function validMetadataOf(request: StorageRequest): Record<string, string> {
  const metadata = metadataHeaders(request.raw);
  if (Object.keys(metadata).some((name) => !isValidMetadataName(name)) || hasDuplicateMetadataNames(metadata)) throw commonErrors.invalidMetadata();
  return metadata;
}

/** Metadata as response headers, `x-ms-meta-<name>`. */
export function metadataResponseHeaders(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([name, value]) => [`x-ms-meta-${name}`, value]));
}
