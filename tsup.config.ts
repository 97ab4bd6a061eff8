import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'containers/azurite': 'src/containers/azurite.ts',
    'containers/mssql': 'src/containers/mssql.ts',
    'containers/servicebus': 'src/containers/servicebus.ts',
    'containers/eventhubs': 'src/containers/eventhubs.ts',
    'containers/cosmosdb': 'src/containers/cosmosdb.ts',
    'harness/vitest': 'src/harness/vitest.ts',
    'harness/vitest-setup': 'src/harness/vitest-setup.ts',
    'harness/jest/index': 'src/harness/jest/index.ts',
    'harness/jest/global-setup': 'src/harness/jest/global-setup.ts',
    'harness/jest/global-teardown': 'src/harness/jest/global-teardown.ts',
    'harness/jest/setup-after-env': 'src/harness/jest/setup-after-env.ts',
    'services/blob/index': 'src/services/blob/index.ts',
    'services/table/index': 'src/services/table/index.ts',
    'services/queue/index': 'src/services/queue/index.ts',
    'services/cosmosdb/index': 'src/services/cosmosdb/index.ts',
    'services/eventhubs/index': 'src/services/eventhubs/index.ts',
    
    'services/servicebus/index': 'src/services/servicebus/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  shims: true,
  target: 'node20',
  // get-port ships ESM only; bundling it keeps the CommonJS build loadable.
  noExternal: ['get-port'],
});
