import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTAINER_IMAGES, imageTag } from '../../src/containers/images.js';

const dockerfile = readFileSync(new URL('../../src/containers/images.Dockerfile', import.meta.url), 'utf8');
const fromLines = Object.fromEntries(
  [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)\s*$/gm)].map((m) => [m[2]!, m[1]!]),
);

describe('container images', () => {
  it('pins every image to an exact tag, never latest', () => {
    for (const ref of Object.values(CONTAINER_IMAGES)) {
      expect(ref).toMatch(/^mcr\.microsoft\.com\/[^:]+:[\w.-]+$/);
      expect(ref).not.toMatch(/:(latest|vnext-latest|vnext-preview)$/);
    }
  });

  it('mirrors every image in images.Dockerfile for the dependency bot', () => {
    expect(fromLines).toEqual(CONTAINER_IMAGES);
  });

  it('reports the image tag as the service version', () => {
    expect(imageTag('azurite')).toBe(CONTAINER_IMAGES.azurite.split(':').at(-1));
  });
});
