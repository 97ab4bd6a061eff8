import type { StorageRequest } from './request.js';
import {
  isAccountSas,
  readSas,
  verifyAccountSas,
  verifySasNetwork,
  verifySasPermission,
  verifySasSignature,
  verifySasWindow,
  type SasNeeds,
  type SasParameters,
} from './sas.js';
import { verifySharedKey, type SharedKeyScheme } from './shared-key.js';

/** What a service SAS grants once the service has read it (and any stored access policy it names). */
export interface ServiceSasGrant {
  /** The string the client must have signed: fields and canonical resource are per service. */
  stringToSign: string;
  permissions: string;
  start?: string;
  expiry?: string;
}

/** How one request of one service is authorized. */
export interface AuthPolicy {
  sharedKey: SharedKeyScheme;
  needs: SasNeeds;
  /** Reads a service SAS (no `ss`/`srt`); throws when it cannot cover this request at all. */
  serviceSas(request: StorageRequest, sas: SasParameters): ServiceSasGrant;
  /** A request without credentials: return to let it through, throw to refuse. */
  anonymous(request: StorageRequest): void;
}

/**
 * Shared Key when there is an Authorization header, else a SAS when the query
 * has a `sig`, else anonymous. Every failure is a StorageError with Azure's code.
 */
export function authorizeRequest(request: StorageRequest, policy: AuthPolicy): void {
  const authorization = request.header('authorization');
  if (authorization !== undefined) return verifySharedKey(request, authorization, policy.sharedKey);
  const sas = readSas(request.query);
  if (!sas) return policy.anonymous(request);
  if (isAccountSas(sas)) return verifyAccountSas(request, sas, policy.needs);
  const grant = policy.serviceSas(request, sas);
  verifySasSignature(request, sas, grant.stringToSign);
  verifySasWindow(request, grant.start, grant.expiry);
  verifySasNetwork(request, sas);
  verifySasPermission(grant.permissions, policy.needs.permissions);
}
