import { describe, expect, it } from 'vitest';
import { cosmosAuthorization } from '../../src/containers/cosmos-rest.js';

describe('Cosmos DB master-key authorization', () => {
  it('signs the example request of the REST API documentation to its documented token', () => {
    const token = cosmosAuthorization(
      'dsZQi3KtZmCv1ljt3VNWNm7sQUF1y5rJfC6kv5JiwvW0EndXdDku/dkKBp8/ufDToSxLzR4y+O/0H/t4bQtVNw==',
      'GET',
      'dbs',
      'dbs/ToDoList',
      'Thu, 27 Apr 2017 00:51:12 GMT',
    );
    expect(decodeURIComponent(token)).toBe('type=master&ver=1.0&sig=c09PEVJrgp2uQRkr934kFbTqhByc7TVr3OHyqlu+c+c=');
  });

  it('keeps the resource link case-sensitive while lower-casing verb, type and date', () => {
    const key = Buffer.from('k').toString('base64');
    const date = 'Thu, 27 Apr 2017 00:51:12 GMT';
    expect(cosmosAuthorization(key, 'GET', 'DBS', 'dbs/a', date)).toBe(cosmosAuthorization(key, 'get', 'dbs', 'dbs/a', date));
    expect(cosmosAuthorization(key, 'GET', 'dbs', 'dbs/A', date)).not.toBe(cosmosAuthorization(key, 'GET', 'dbs', 'dbs/a', date));
  });
});
