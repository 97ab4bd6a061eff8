// The Cosmos DB point-operation floor: a node:http server that answers every
// request the point rows make with fixed bytes shaped like the emulator's
// answers (same headers, an item of the same size), doing none of the work.
// What the SDK client reaches against it is the most any server can show here.
import { createServer } from 'node:http';

const ITEM = JSON.stringify({
  id: 'i0', pk: 'p0', n: 0, _rid: 'MT9PfZdXupgAAAAAAAAAAQ==', _self: 'dbs/MT9PfQ==/colls/MT9PfZdXupg=/docs/MT9PfZdXupgAAAAAAAAAAQ==/',
  _etag: '"ca8d6642-3938-4244-b426-6d525cd60833"', _attachments: 'attachments/', _ts: 1796185130,
});
const database = (id) => JSON.stringify({ id, _rid: 'MT9PfQ==', _self: 'dbs/MT9PfQ==/', _etag: '"0"', _colls: 'colls/', _users: 'users/', _ts: 1796185130 });
const container = (id) =>
  JSON.stringify({ id, partitionKey: { paths: ['/pk'], kind: 'Hash', version: 2 }, _rid: 'MT9PfZdXupg=', _self: 'dbs/MT9PfQ==/colls/MT9PfZdXupg=/', _etag: '"0"', _ts: 1796185130 });

/** Listens on a random port of 127.0.0.1; resolves to the server once it does. */
export async function listenCosmosFloor() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const segments = req.url.split('?')[0].split('/').filter(Boolean);
      let body = ITEM;
      if (segments.length === 0) {
        const here = { name: 'floor', databaseAccountEndpoint: `http://${req.headers.host}/` };
        body = JSON.stringify({ id: 'floor', writableLocations: [here], readableLocations: [here], enableMultipleWriteLocations: false, userConsistencyPolicy: { defaultConsistencyLevel: 'Session' } });
      } else if (segments.length <= 2) body = database(segments[1] ?? 'bench');
      else if (segments.length <= 4) body = container(segments[3] ?? 'c');
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'x-ms-activity-id': 'cccb5692-73a5-4845-814d-2503c082021b',
        Date: 'Wed, 02 Dec 2026 04:18:50 GMT',
        'x-ms-gatewayversion': 'floor',
        'x-ms-request-charge': '1',
        etag: '"ca8d6642-3938-4244-b426-6d525cd60833"',
        ...(segments.length > 4 ? { 'x-ms-session-token': '0:-1#1', 'x-ms-item-lsn': '1' } : {}),
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
