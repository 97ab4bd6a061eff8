import { isoDate7 } from './dates.js';
import type { ErrorBody } from './dispatcher.js';
import type { StorageError } from './storage-error.js';

/** Content type of OData JSON answers, errors included. */
export const ODATA_JSON_CONTENT_TYPE = 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8';

/**
 * Azure's OData JSON error document, as the table service answers it:
 * `{"odata.error":{"code":...,"message":{"lang":"en-US","value":...}}}` on
 * one line (the Tables SDK finds it in batch responses with a one-line regex).
 */
export function odataJsonErrorBody(error: StorageError, requestId: string, now: number): ErrorBody {
  const value = `${error.message}\nRequestId:${requestId}\nTime:${isoDate7(now)}`;
  return {
    contentType: ODATA_JSON_CONTENT_TYPE,
    body: JSON.stringify({ 'odata.error': { code: error.code, message: { lang: 'en-US', value } } }),
  };
}
