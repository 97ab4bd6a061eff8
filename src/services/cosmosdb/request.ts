import type { StorageRequest } from '../storage-common/request.js';

/**
 * One Cosmos DB request: the shared storage request shape (so the request
 * journal records it like any other) with the decoded resource path and its
 * JSON body. `account` is the namespace whose key signed the request.
 */
export interface CosmosRequest extends StorageRequest {
  /** `host:port` as the client addressed the emulator, for the account document's endpoints. */
  readonly host: string;
  /** The body parsed as JSON; 400 when it is not JSON. Undefined for an empty body. */
  json(): Promise<unknown>;
}

export interface CosmosResponse {
  status: number;
  headers?: Record<string, string | number | undefined>;
  /** Serialized as JSON. */
  body?: unknown;
}
