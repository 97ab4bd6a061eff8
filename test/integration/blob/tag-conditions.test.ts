import { describe, expect, it } from 'vitest';
import { errorOf, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

async function taggedBlob(tags: Record<string, string> = { tier: 'gold', owner: 'ann' }) {
  const container = blob.client.getContainerClient(uniqueName('iftags'));
  await container.create();
  const client = container.getBlockBlobClient('b');
  await client.upload('x', 1, { tags });
  return client;
}

describe('x-ms-if-tags', () => {
  it('accepts <> and OR and parentheses', async () => {
    const client = await taggedBlob();
    await client.setMetadata({ a: '1' }, { conditions: { tagConditions: "tier <> 'silver' AND (owner = 'bob' OR owner = 'ann')" } });
    expect(await errorOf(client.setMetadata({ a: '2' }, { conditions: { tagConditions: "tier <> 'gold'" } }))).toEqual({ statusCode: 412, code: 'ConditionNotMet' });
  });

  it('evaluates a long chain of conditions', async () => {
    const client = await taggedBlob();
    const condition = Array.from({ length: 10 }, (_, i) => `tier <> 'v${i}'`).join(' and ');
    expect((await client.getTags({ conditions: { tagConditions: condition } })).tags).toEqual({ tier: 'gold', owner: 'ann' });
  });

  it.each(["tier=='gold'", "ti+er='gold'", "tier='gold$'", "@container='c'"])('refuses the malformed condition %j with 400 InvalidHeaderValue', async (condition) => {
    const client = await taggedBlob();
    expect(await errorOf(client.getTags({ conditions: { tagConditions: condition } }))).toEqual({ statusCode: 400, code: 'InvalidHeaderValue' });
  });
});

describe('conditions of Get and Set Blob Tags', () => {
  it('judges x-ms-blob-if-match on Set Blob Tags: 412 ConditionNotMet when it fails', async () => {
    const client = await taggedBlob();
    const { etag } = await client.getProperties();
    await client.setTags({ next: 'one' }, { conditions: { ifMatch: etag } });
    expect(await errorOf(client.setTags({ next: 'two' }, { conditions: { ifMatch: '"0x0"' } }))).toEqual({ statusCode: 412, code: 'ConditionNotMet' });
    expect((await client.getTags()).tags).toEqual({ next: 'one' });
  });

  it('answers 304 to Get Blob Tags whose x-ms-blob-if-none-match names the current ETag', async () => {
    const client = await taggedBlob();
    const { etag } = await client.getProperties();
    expect((await errorOf(client.getTags({ conditions: { ifNoneMatch: etag } }))).statusCode).toBe(304);
  });

  it('needs the lease id to set the tags of a leased blob: 412 LeaseIdMissing', async () => {
    const client = await taggedBlob();
    await client.getBlobLeaseClient().acquireLease(-1);
    expect(await errorOf(client.setTags({ a: 'b' }))).toEqual({ statusCode: 412, code: 'LeaseIdMissing' });
    expect((await client.getTags()).tags).toEqual({ tier: 'gold', owner: 'ann' });
  });
});

describe('Find Blobs by Tags filters', () => {
  const refused = async (where: string) => {
    const failure = await errorOf(blob.client.findBlobsByTags(where).next());
    return failure;
  };

  it.each([
    ['a key longer than 128 characters', `${'k'.repeat(129)}='v'`],
    ['a value longer than 256 characters', `k='${'v'.repeat(257)}'`],
    ['a value with characters tags cannot hold', "k='v@lue'"],
    ['a bare key with characters that need quotes', "k-1='v'"],
  ])('refuses %s with 400 InvalidQueryParameterValue', async (_, where) => {
    expect(await refused(where)).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });

  it('refuses more than 10 distinct tags with 400 InvalidQueryParameterValue', async () => {
    const where = Array.from({ length: 11 }, (_, i) => `k${i}='v'`).join(' AND ');
    expect(await refused(where)).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });

  it('takes a quoted key with characters a bare key cannot have', async () => {
    const container = blob.client.getContainerClient(uniqueName('find'));
    await container.create();
    const marker = uniqueName('m').replace(/-/g, '');
    await container.getBlockBlobClient('b').upload('x', 1, { tags: { 'team-name': marker } });
    const found: string[] = [];
    for await (const item of blob.client.findBlobsByTags(`"team-name"='${marker}'`)) found.push(item.name);
    expect(found).toEqual(['b']);
  });
});

describe('Find Blobs by Tags error messages', () => {
  it('names where the filter went wrong and why, as Azure does', async () => {
    const messageOf = async (where: string) => ((await blob.client.findBlobsByTags(where).next().catch((e: unknown) => e)) as { details: { message: string } }).details.message;
    expect(await messageOf(`${'k'.repeat(129)}='v'`)).toMatch(/^Error parsing query at or near character position 1: tag must be between 1 and 128 characters in length/);
    expect(await messageOf("k='v@'")).toMatch(/^Error parsing query at or near character position 5: '@' not permitted in tag name or value/);
    expect(await messageOf("k='v' and @container11='1'")).toMatch(/^Error parsing query at or near character position 11: unsupported parameter '@container11'/);
  });
});
