import { type BlockBlobClient, ContainerClient, newPipeline } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { errorOf, noRetry, uniqueName, useBlobService } from './support.js';

const blob = useBlobService();

/** A container client that sends a chosen x-ms-version (signed like any other header). */
function containerWithVersion(name: string, version: string): ContainerClient {
  const pipeline = newPipeline(blob.credential, noRetry);
  // Factories run outermost first, so the version is set before the request is signed.
  pipeline.factories.unshift({
    create: (next) => ({
      sendRequest: (request) => {
        request.headers.set('x-ms-version', version);
        return next.sendRequest(request);
      },
    }),
  });
  return new ContainerClient(`${blob.url}/${name}`, pipeline);
}

/**
 * Sends a PUT through a client's own signed pipeline, for bodies and headers
 * the SDK's typed API never produces.
 */
async function sendSigned(client: BlockBlobClient, query: string, headers: Record<string, string>, body: string) {
  const request = createPipelineRequest({
    url: query ? `${client.url}?${query}` : client.url,
    method: 'PUT',
    headers: createHttpHeaders(headers),
    body,
    allowInsecureConnection: true,
  });
  const context = (client as unknown as { storageClientContext: { sendRequest(r: PipelineRequest): Promise<PipelineResponse> } }).storageClientContext;
  return context.sendRequest(request);
}

async function publicContainer(): Promise<string> {
  const name = uniqueName('wire');
  await blob.client.getContainerClient(name).create({ access: 'container' });
  await blob.client.getContainerClient(name).getBlockBlobClient('file.txt').upload('hello', 5);
  return name;
}

describe('wire format', () => {
  it.each(['2009-09-19', '2021-08-06', '2099-12-31'])('accepts x-ms-version %s and echoes it', async (version) => {
    const container = containerWithVersion(uniqueName('ver'), version);
    const created = await container.create();
    expect(created.version).toBe(version);
    expect(created.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends request id, version and date on success', async () => {
    const name = await publicContainer();
    const response = await fetch(`${blob.url}/${name}/file.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-ms-version')).toBeTruthy();
    expect(response.headers.get('date')).toBeTruthy();
    expect(await response.text()).toBe('hello');
  });

  it('answers errors with the XML error body and x-ms-error-code', async () => {
    const name = await publicContainer();
    const response = await fetch(`${blob.url}/${name}/missing.txt`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ms-error-code')).toBe('BlobNotFound');
    expect(response.headers.get('x-ms-request-id')).toBeTruthy();
    const body = await response.text();
    expect(body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><Error><Code>BlobNotFound<\/Code><Message>The specified blob does not exist.\nRequestId:/);
  });

  it('answers HEAD errors with x-ms-error-code and no body', async () => {
    const name = await publicContainer();
    const response = await fetch(`${blob.url}/${name}/missing.txt`, { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ms-error-code')).toBe('BlobNotFound');
    expect(await response.text()).toBe('');
  });

  it('answers an unknown comp with 400 InvalidQueryParameterValue', async () => {
    const name = await publicContainer();
    const response = await fetch(`${blob.url}/${name}/file.txt?comp=frobnicate`);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidQueryParameterValue');
  });

  it('answers a verb the resource does not take with 405 UnsupportedHttpVerb', async () => {
    const name = await publicContainer();
    const response = await fetch(`${blob.url}/${name}/file.txt`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('x-ms-error-code')).toBe('UnsupportedHttpVerb');
  });

  it('answers a path without an account with 400 InvalidUri', async () => {
    const response = await fetch(blob.url.replace(/\/[^/]+$/, '/'));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidUri');
  });

  it('answers malformed percent-encoding with 400 InvalidUri', async () => {
    const response = await fetch(`${blob.url}/container/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidUri');
  });

  it('refuses maxresults of zero with OutOfRangeQueryParameterValue', async () => {
    const response = await fetch(`${blob.url}/${await publicContainer()}?restype=container&comp=list&maxresults=0`);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('OutOfRangeQueryParameterValue');
  });

  it('refuses an unsigned request to a private resource without revealing it', async () => {
    const name = uniqueName('private');
    await blob.client.getContainerClient(name).create();
    const response = await fetch(`${blob.url}/${name}?restype=container`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-ms-error-code')).toBe('ResourceNotFound');
  });

  it('refuses a malformed Authorization header with 403 AuthenticationFailed', async () => {
    const response = await fetch(`${blob.url}?comp=list`, { headers: { Authorization: 'Bearer nothing', 'x-ms-date': new Date().toUTCString() } });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
  });

  it('refuses a malformed block list with InvalidXmlDocument', async () => {
    const container = blob.client.getContainerClient(uniqueName('xml'));
    await container.create();
    const client = container.getBlockBlobClient('b');
    const response = await sendSigned(client, 'comp=blocklist', { 'Content-Type': 'application/xml' }, '<BlockList><Latest>');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('InvalidXmlDocument');
    expect(await client.exists()).toBe(false);
  });

  it('refuses a Put Blob whose Content-MD5 does not match with Md5Mismatch and stores nothing', async () => {
    const container = blob.client.getContainerClient(uniqueName('md5'));
    await container.create();
    const client = container.getBlockBlobClient('b');
    const wrong = createHash('md5').update('other').digest('base64');
    const response = await sendSigned(client, '', { 'x-ms-blob-type': 'BlockBlob', 'Content-MD5': wrong }, 'payload');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('Md5Mismatch');
    expect(await client.exists()).toBe(false);
  });

  it('refuses a Put Blob without x-ms-blob-type with MissingRequiredHeader', async () => {
    const container = blob.client.getContainerClient(uniqueName('notype'));
    await container.create();
    const response = await sendSigned(container.getBlockBlobClient('b'), '', {}, 'payload');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ms-error-code')).toBe('MissingRequiredHeader');
  });

  it('answers 304 without a body for a satisfied If-None-Match', async () => {
    const name = await publicContainer();
    const first = await fetch(`${blob.url}/${name}/file.txt`);
    const response = await fetch(`${blob.url}/${name}/file.txt`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(response.status).toBe(304);
  });

  it('reports errors raised through the SDK with the same codes', async () => {
    expect(await errorOf(blob.client.getContainerClient(uniqueName('none')).getProperties())).toEqual({ statusCode: 404, code: 'ContainerNotFound' });
  });
});
