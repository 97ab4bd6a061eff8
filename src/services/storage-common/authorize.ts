import type { StorageRequest } from './request.js';
import {
  isAccountSas,
  readSas,
  verifyAccountSas,
  verifySasNetwork,
  verifySasPermission,
  verifySasLetters,
  verifySasSignature,
  verifySasVersion,
  verifySasWindow,
  type SasNeeds,
  type SasParameters,
} from './sas.js';
import { verifySharedKey, type SharedKeyScheme } from './shared-key.js';
import type { SignedIdentifier } from './access-policy.js';
import { commonErrors } from './storage-error.js';

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
  /** Every letter a service SAS of this service may grant in `sp`. */
  servicePermissions: string;
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
  verifySasVersion(sas.sv);
  if (isAccountSas(sas)) return verifyAccountSas(request, sas, policy.needs);
  verifySasLetters('sp', sas.sp ?? '', policy.servicePermissions);
  const grant = policy.serviceSas(request, sas);
  verifySasSignature(request, sas, grant.stringToSign);
  verifySasWindow(request, grant.start, grant.expiry);
  verifySasNetwork(request, sas);
  verifySasPermission(grant.permissions, policy.needs.permissions);
}

/**
 * The permissions and time window of a service SAS, with the stored access
 * policy it names (`si`). A field may come from the SAS or the policy, never
 * both: Azure refuses the SAS (403), so shortening a policy revokes every SAS
 * that names it.
 */
export function sasTerms(sas: SasParameters, policy: SignedIdentifier | undefined): Pick<ServiceSasGrant, 'permissions' | 'start' | 'expiry'> {
  const given = (name: 'sp' | 'st' | 'se') => (sas[name] === '' ? undefined : sas[name]);
  if (policy) {
    const repeated = (['sp', 'st', 'se'] as const).find((name) => given(name) !== undefined && policy[FIELD_IN_POLICY[name]] !== undefined);
    if (repeated !== undefined) {
      throw commonErrors.authenticationFailed(
        `Access policy fields can be associated with signature or SAS identifier but not both: the SAS sets ${repeated}, and so does the stored access policy "${policy.id}".`,
      );
    }
  }
  return { permissions: given('sp') ?? policy?.permissions ?? '', start: given('st') ?? policy?.start, expiry: given('se') ?? policy?.expiry };
}

const FIELD_IN_POLICY = { sp: 'permissions', st: 'start', se: 'expiry' } as const;
