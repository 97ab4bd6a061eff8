import { isoDate7 } from './dates.js';
import type { ErrorBody } from './dispatcher.js';
import type { StorageError } from './storage-error.js';
import { toXml } from './xml.js';

/** Azure's XML error document, as blob and queue answer it. */
export function xmlErrorBody(error: StorageError, requestId: string, now: number): ErrorBody {
  const message = `${error.message}\nRequestId:${requestId}\nTime:${isoDate7(now)}`;
  return {
    contentType: 'application/xml',
    body: toXml({ Error: { Code: error.code, Message: message, ...error.details } }),
  };
}
