/**
 * A failure answered on the wire: Azure's HTTP status, its error code (sent
 * in the body and in `x-ms-error-code`) and a message. Build these through a
 * service's error factory, never inline, so codes and statuses stay in one
 * place per service.
 */
export class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements of the error body, e.g. `{ AuthenticationErrorDetail: '...' }`. */
    readonly details: Record<string, string> = {},
    /** Extra response headers, e.g. `Content-Range` on a 416. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Errors every storage service answers the same way (auth, headers, query, body). */
export const commonErrors = {
  authenticationFailed: (detail: string) =>
    new StorageError(
      403,
      'AuthenticationFailed',
      'Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.',
      { AuthenticationErrorDetail: detail },
    ),
  authorizationFailure: (message = 'This request is not authorized to perform this operation.') =>
    new StorageError(403, 'AuthorizationFailure', message),
  permissionMismatch: () =>
    new StorageError(403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.'),
  resourceTypeMismatch: () =>
    new StorageError(403, 'AuthorizationResourceTypeMismatch', 'This request is not authorized to perform this operation using this resource type.'),
  serviceMismatch: () =>
    new StorageError(403, 'AuthorizationServiceMismatch', 'This request is not authorized to perform this operation using this service.'),
  protocolMismatch: () =>
    new StorageError(403, 'AuthorizationProtocolMismatch', 'This request is not authorized to perform this operation using this protocol.'),
  sourceIpMismatch: (ip: string) =>
    new StorageError(403, 'AuthorizationSourceIPMismatch', `This request is not authorized to perform this operation using this source IP ${ip}.`),
  noAuthenticationInformation: () =>
    new StorageError(401, 'NoAuthenticationInformation', 'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.'),
  invalidHeaderValue: (header: string, value?: string) =>
    new StorageError(400, 'InvalidHeaderValue', 'The value for one of the HTTP headers is not in the correct format.', {
      HeaderName: header,
      ...(value === undefined ? {} : { HeaderValue: value }),
    }),
  missingRequiredHeader: (header: string) =>
    new StorageError(400, 'MissingRequiredHeader', 'An HTTP header that\'s mandatory for this request is not specified.', { HeaderName: header }),
  missingContentLength: () =>
    new StorageError(411, 'MissingContentLengthHeader', 'The Content-Length header was not specified.'),
  invalidQueryParameterValue: (name: string, value: string | null, reason = 'Value for one of the query parameters specified in the request URI is invalid.') =>
    new StorageError(400, 'InvalidQueryParameterValue', reason, { QueryParameterName: name, QueryParameterValue: value ?? '' }),
  outOfRangeQueryParameterValue: (name: string, value: string, min: number, max: number) =>
    new StorageError(400, 'OutOfRangeQueryParameterValue', 'One of the query parameters specified in the request URI is outside the permissible range.', {
      QueryParameterName: name,
      QueryParameterValue: value,
      MinimumAllowed: String(min),
      MaximumAllowed: String(max),
    }),
  missingRequiredQueryParameter: (name: string) =>
    new StorageError(400, 'MissingRequiredQueryParameter', 'A query parameter that\'s mandatory for this request is not specified.', { QueryParameterName: name }),
  unsupportedHttpVerb: (verb: string) =>
    new StorageError(405, 'UnsupportedHttpVerb', 'The resource doesn\'t support the specified HTTP verb.', { HttpVerb: verb }),
  invalidUri: (message = 'The requested URI does not represent any resource on the server.') => new StorageError(400, 'InvalidUri', message),
  invalidResourceName: () => new StorageError(400, 'InvalidResourceName', 'The specified resource name contains invalid characters.'),
  outOfRangeInput: (message = 'One of the request inputs is out of range.') => new StorageError(400, 'OutOfRangeInput', message),
  invalidInput: (message = 'One of the request inputs is not valid.') => new StorageError(400, 'InvalidInput', message),
  invalidMetadata: () => new StorageError(400, 'InvalidMetadata', 'The metadata specified is invalid. It has characters that are not permitted.'),
  invalidXmlDocument: () => new StorageError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.'),
  md5Mismatch: (expected: string, actual: string) =>
    new StorageError(400, 'Md5Mismatch', 'The MD5 value specified in the request did not match with the MD5 value calculated by the server.', {
      UserSpecifiedMd5: expected,
      ServerCalculatedMd5: actual,
    }),
  invalidMd5: () => new StorageError(400, 'InvalidMd5', 'The MD5 value specified in the request is invalid. The MD5 value must be 128 bits and Base64-encoded.'),
  requestBodyTooLarge: (limit: number) =>
    new StorageError(413, 'RequestBodyTooLarge', 'The request body is too large and exceeds the maximum permissible limit.', { MaxLimit: String(limit) }),
  incompleteBody: () => new StorageError(400, 'IncompleteBody', 'The request body is incomplete.'),
  conditionNotMet: () => new StorageError(412, 'ConditionNotMet', 'The condition specified using HTTP conditional header(s) is not met.'),
  notModified: () => new StorageError(304, 'ConditionNotMet', 'The condition specified using HTTP conditional header(s) is not met.'),
  invalidRange: (size: number) =>
    new StorageError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.', {}, { 'Content-Range': `bytes */${size}` }),
  internalError: () => new StorageError(500, 'InternalError', 'The server encountered an internal error. Please retry the request.'),
};
