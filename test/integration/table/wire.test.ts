import { TableServiceClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { errorOf, freshTable, signedFetch, useTableService } from './support.js';

describe('wire format', () => {
  const lz = useTableService();

  async function tableWithEntity() {
    const table = await freshTable(lz);
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', d: { type: 'Double', value: '5' }, big: 5n, s: 'x', when: new Date('2020-01-01T00:00:00.000Z') });
    return table.tableName;
  }

  it('answers nometadata with bare values and no annotations', async () => {
    const table = await tableWithEntity();
    const response = await signedFetch(lz, 'GET', `${table}(PartitionKey='p',RowKey='r')`, { headers: { Accept: 'application/json;odata=nometadata' } });
    expect(response.headers.get('content-type')).toBe('application/json;odata=nometadata;streaming=true;charset=utf-8');
    const text = await response.text();
    expect(text).toContain('"d":5.0');
    expect(text).not.toContain('@odata');
    expect(JSON.parse(text)).toMatchObject({ PartitionKey: 'p', RowKey: 'r', big: '5', s: 'x', when: '2020-01-01T00:00:00.000Z' });
  });

  it('answers minimalmetadata with the metadata link, the ETag and annotations for types JSON cannot carry', async () => {
    const table = await tableWithEntity();
    const response = await signedFetch(lz, 'GET', `${table}(PartitionKey='p',RowKey='r')`, { headers: { Accept: 'application/json;odata=minimalmetadata' } });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body['odata.metadata']).toBe(`${lz.url}/$metadata#${table}/@Element`);
    expect(body['odata.etag']).toBe(response.headers.get('etag'));
    expect(body).toMatchObject({ 'big@odata.type': 'Edm.Int64', 'when@odata.type': 'Edm.DateTime' });
    expect(body['s@odata.type']).toBeUndefined();
    expect(body['Timestamp@odata.type']).toBeUndefined();
  });

  it('answers fullmetadata with type, id and edit link', async () => {
    const table = await tableWithEntity();
    const response = await signedFetch(lz, 'GET', `${table}()`, { headers: { Accept: 'application/json;odata=fullmetadata' } });
    const body = (await response.json()) as { value: Array<Record<string, unknown>> };
    expect(body.value[0]).toMatchObject({
      'odata.type': `devstoreaccount1.${table}`,
      'odata.id': `${lz.url}/${table}(PartitionKey='p',RowKey='r')`,
      'odata.editLink': `${table}(PartitionKey='p',RowKey='r')`,
      'Timestamp@odata.type': 'Edm.DateTime',
    });
  });

  it('answers 201 with the entity, or 204 when Prefer asks for no content', async () => {
    const table = await freshTable(lz);
    const created = await signedFetch(lz, 'POST', table.tableName, { headers: { 'Content-Type': 'application/json', Accept: 'application/json;odata=minimalmetadata' }, body: '{"PartitionKey":"p","RowKey":"1"}' });
    expect(created.status).toBe(201);
    expect(((await created.json()) as Record<string, unknown>).RowKey).toBe('1');
    const quiet = await signedFetch(lz, 'POST', table.tableName, { headers: { 'Content-Type': 'application/json', Prefer: 'return-no-content' }, body: '{"PartitionKey":"p","RowKey":"2"}' });
    expect(quiet.status).toBe(204);
    expect(quiet.headers.get('preference-applied')).toBe('return-no-content');
    expect(quiet.headers.get('etag')).toMatch(/^W\/"datetime'/);
  });

  it('merges with the MERGE verb older clients send', async () => {
    const table = await tableWithEntity();
    const response = await signedFetch(lz, 'MERGE', `${table}(PartitionKey='p',RowKey='r')`, { headers: { 'Content-Type': 'application/json', 'If-Match': '*' }, body: '{"extra":1}' });
    expect(response.status).toBe(204);
    const entity = (await (await signedFetch(lz, 'GET', `${table}(PartitionKey='p',RowKey='r')`, { headers: { Accept: 'application/json;odata=nometadata' } })).json()) as Record<string, unknown>;
    expect(entity).toMatchObject({ extra: 1, s: 'x' });
  });

  it('sends continuation headers for the next partition and row key', async () => {
    const table = await freshTable(lz);
    for (const rk of ['1', '2', '3']) await table.createEntity({ partitionKey: 'p', rowKey: rk });
    const first = await signedFetch(lz, 'GET', `${table.tableName}()?$top=2`, { headers: { Accept: 'application/json;odata=nometadata' } });
    const nextPk = first.headers.get('x-ms-continuation-nextpartitionkey');
    const nextRk = first.headers.get('x-ms-continuation-nextrowkey');
    expect(nextPk).toBeTruthy();
    const second = await signedFetch(lz, 'GET', `${table.tableName}()?$top=2&NextPartitionKey=${nextPk}&NextRowKey=${nextRk}`, { headers: { Accept: 'application/json;odata=nometadata' } });
    expect(((await second.json()) as { value: Array<{ RowKey: string }> }).value.map((e) => e.RowKey)).toEqual(['3']);
    expect(second.headers.get('x-ms-continuation-nextpartitionkey')).toBeNull();
  });

  it('answers errors as one-line OData JSON with the code also in x-ms-error-code', async () => {
    const response = await signedFetch(lz, 'GET', "nosuchtable3(PartitionKey='p',RowKey='r')", { headers: { Accept: 'application/json;odata=nometadata' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ms-error-code')).toBe('TableNotFound');
    const text = await response.text();
    expect(text).not.toContain('\n');
    const body = JSON.parse(text) as { 'odata.error': { code: string; message: { lang: string; value: string } } };
    expect(body['odata.error'].code).toBe('TableNotFound');
    expect(body['odata.error'].message.value).toContain(`RequestId:${response.headers.get('x-ms-request-id')}`);
  });

  it('accepts Shared Key (not only Lite) in the table flavour', async () => {
    const table = await tableWithEntity();
    const response = await signedFetch(lz, 'GET', `${table}(PartitionKey='p',RowKey='r')`, { scheme: 'SharedKey', headers: { Accept: 'application/json;odata=nometadata' } });
    expect(response.status).toBe(200);
  });

  it('keeps __proto__ and constructor sent on the wire as ordinary properties', async () => {
    const table = await freshTable(lz);
    const body = '{"PartitionKey":"p","RowKey":"r","__proto__":"polluted","constructor":"c","toString":1}';
    expect((await signedFetch(lz, 'POST', table.tableName, { headers: { 'Content-Type': 'application/json', Prefer: 'return-no-content' }, body })).status).toBe(204);
    const text = await (await signedFetch(lz, 'GET', `${table.tableName}(PartitionKey='p',RowKey='r')`, { headers: { Accept: 'application/json;odata=nometadata' } })).text();
    expect(text).toContain('"__proto__":"polluted"');
    expect(text).toContain('"constructor":"c"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('answers 400 InvalidUri for a path it cannot address', async () => {
    const response = await signedFetch(lz, 'GET', 'a/b/c');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidUri');
  });

  it('refuses an x-ms-version that is no version with 400 InvalidHeaderValue, and takes one newer than it knows', async () => {
    const withVersion = (version: string) =>
      new TableServiceClient(lz.url, lz.credential, {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
        additionalPolicies: [{ position: 'perCall', policy: { name: 'version', sendRequest: (request, next) => (request.headers.set('x-ms-version', version), next(request)) } }],
      });
    expect(await errorOf(withVersion('invalid').createTable('versioninvalid'))).toMatchObject({ statusCode: 400, code: 'InvalidHeaderValue' });
    await withVersion('2099-01-01').createTable('versionfuture');
  });

  it('answers 415 AtomFormatNotSupported when only Atom is acceptable', async () => {
    const table = await tableWithEntity();
    const response = await signedFetch(lz, 'GET', `${table}()`, { headers: { Accept: 'application/atom+xml' } });
    expect(response.status).toBe(415);
  });
});
