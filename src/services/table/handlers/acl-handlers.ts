import { parseSignedIdentifiers, signedIdentifiersXml } from '../../storage-common/access-policy.js';
import { receiveText } from '../../storage-common/body.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { toXml } from '../../storage-common/xml.js';
import type { TableStore } from '../store.js';

/** Get/Set Table ACL: the stored access policies a table SAS may name with `si`. */
export function aclHandlers(store: TableStore) {
  return {
    get(request: StorageRequest): StorageResponse {
      const table = store.table(request.account.name, request.segments[0]!);
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: toXml(signedIdentifiersXml(table.signedIdentifiers)) };
    },
    async set(request: StorageRequest): Promise<StorageResponse> {
      const table = store.table(request.account.name, request.segments[0]!);
      store.setSignedIdentifiers(table, parseSignedIdentifiers(await receiveText(request.raw)));
      return { status: 204 };
    },
  };
}
