import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'harness/vitest': 'src/harness/vitest.ts',
    'harness/jest/index': 'src/harness/jest/index.ts',
    
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  shims: true,
  target: 'node20',
  // get-port ships ESM only; bundling it keeps the CommonJS build loadable.
  noExternal: ['get-port'],
});
