import { afterEach, describe, expect, it, vi } from 'vitest';
import { AzuriteContainerService } from '../../src/containers/azurite.js';
import type { ContainerService, ContainerServiceOptions } from '../../src/containers/container-service.js';
import { CosmosDbContainerService } from '../../src/containers/cosmosdb.js';
import { LicenseNotAcceptedError } from '../../src/containers/errors.js';
import { EventHubsContainerService } from '../../src/containers/eventhubs.js';
import { CONTAINER_IMAGES } from '../../src/containers/images.js';
import { IMAGE_LICENSES } from '../../src/containers/license.js';
import { MssqlContainerService } from '../../src/containers/mssql.js';
import type { Testcontainers } from '../../src/containers/runtime-availability.js';
import { ServiceBusContainerService } from '../../src/containers/servicebus.js';
import { BulkOperationError, LocalZureError, ServiceState, withLocalZure, type LocalZureHarness, type LocalZureOptions, type ServiceContext } from '../../src/index.js';
import { caught, recordingLogger } from '../support/test-service.js';
import { engine, engineMissing } from './engine.js';

type ServiceClass = new (context: Partial<ServiceContext>, options: ContainerServiceOptions) => ContainerService;

const LICENSED: Array<[string, ServiceClass]> = [
  ['mssql', MssqlContainerService],
  ['servicebus', ServiceBusContainerService],
  ['eventhubs', EventHubsContainerService],
];

/** testcontainers where no engine answers, counting how often LocalZure asked for one. */
function noEngine() {
  const asked = { count: 0 };
  const runtime = {
    load: async () => {
      asked.count += 1;
      return { getContainerRuntimeClient: () => Promise.reject(new Error('Could not find a working container runtime strategy')) } as unknown as Testcontainers;
    },
  };
  return { asked, runtime };
}

function start(Service: ServiceClass, context: Partial<ServiceContext> = {}) {
  const { asked, runtime } = noEngine();
  const service = new Service({ logger: recordingLogger(), ...context }, { runtime });
  return { asked, service, error: caught<LicenseNotAcceptedError>(() => service.start()) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe.each(LICENSED)('%s without the licence accepted', (name, Service) => {
  it('refuses to start with LZ_LICENSE_NOT_ACCEPTED before asking for an engine', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', '');
    const { asked, service, error } = start(Service);
    expect(await error).toMatchObject({ code: 'LZ_LICENSE_NOT_ACCEPTED', service: name });
    expect(asked.count).toBe(0);
    expect(service.state).toBe(ServiceState.FAILED);
  });

  it('names the image, links its licence and says how to accept it', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', '');
    const error = await start(Service).error;
    expect(error).toBeInstanceOf(LicenseNotAcceptedError);
    expect(error).toBeInstanceOf(LocalZureError);
    expect(error.name).toBe('LicenseNotAcceptedError');
    expect(error.image).toBe(CONTAINER_IMAGES[name as keyof typeof CONTAINER_IMAGES]);
    expect(error.licenseUrl).toBe(IMAGE_LICENSES[name as keyof typeof IMAGE_LICENSES]);
    expect(error.licenseUrl).toMatch(/^https:\/\//);
    expect(error.message).toContain(error.image);
    expect(error.message).toContain(error.licenseUrl);
    expect(error.message).toContain('LOCALZURE_ACCEPT_EULA=Y');
    expect(error.message).toContain('acceptEula: true');
  });
});

describe('accepting the licence', () => {
  it.each(LICENSED)('lets %s past the licence check with LOCALZURE_ACCEPT_EULA=Y', async (_name, Service) => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', 'Y');
    const { asked, error } = start(Service);
    expect(await error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
    expect(asked.count).toBe(1);
  });

  it.each(LICENSED)('lets %s past the licence check with the acceptEula option', async (_name, Service) => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', '');
    const { error } = start(Service, { acceptEula: true });
    expect(await error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
  });

  it('takes a lower-case y in the variable too', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', 'y');
    expect(await start(MssqlContainerService).error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
  });

  it('does not count any other value of the variable, and says what it found', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', 'true');
    const error = await start(MssqlContainerService).error;
    expect(error.code).toBe('LZ_LICENSE_NOT_ACCEPTED');
    expect(error.message).toContain('LOCALZURE_ACCEPT_EULA is "true"; only Y accepts');
  });

  it('lets acceptEula: false refuse even when the variable accepts', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', 'Y');
    const error = await start(ServiceBusContainerService, { acceptEula: false }).error;
    expect(error.code).toBe('LZ_LICENSE_NOT_ACCEPTED');
    expect(error.message).toContain('acceptEula is false');
  });
});

describe('images without a licence to accept', () => {
  it.each([
    ['azurite', AzuriteContainerService],
    ['cosmosdb', CosmosDbContainerService],
  ] as Array<[string, ServiceClass]>)('start %s without acceptance, going straight to the engine', async (name, Service) => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', '');
    const { asked, error } = start(Service);
    expect(await error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
    expect(asked.count).toBe(1);
    expect(IMAGE_LICENSES).not.toHaveProperty(name);
  });
});

describe('withLocalZure and the licence', () => {
  const harnesses: LocalZureHarness[] = [];
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness[Symbol.asyncDispose]();
  });
  const harness = (services: string[], options: LocalZureOptions = {}) => {
    const created = withLocalZure(services, { logger: recordingLogger(), ...options });
    harnesses.push(created);
    return created;
  };

  it('refuses eventhubs in setup() before its azurite dependency starts, with the error itself', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', '');
    const begun = Date.now();
    const error = await caught<LicenseNotAcceptedError>(() => harness(['blob', 'eventhubs'], { backend: 'container' }).setup());
    expect(error).not.toBeInstanceOf(BulkOperationError);
    expect(error).toMatchObject({ code: 'LZ_LICENSE_NOT_ACCEPTED', service: 'eventhubs' });
    expect(Date.now() - begun).toBeLessThan(1_000);
    expect(process.env.LOCALZURE_CONTROL_URL).toBeUndefined();
  });

  it('rejects an acceptEula that is not a boolean at once, with LZ_INVALID_OPTION', async () => {
    const error = await caught<LocalZureError>(() => withLocalZure(['servicebus'], { acceptEula: 'Y' as unknown as boolean }));
    expect(error).toMatchObject({ code: 'LZ_INVALID_OPTION' });
    expect(error.message).toContain('acceptEula');
  });

  it.skipIf(engine)(`gets past the licence with acceptEula: true, to the missing engine (${engineMissing ?? 'an engine answers here'})`, async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', '');
    const error = await caught<LocalZureError>(() => harness(['servicebus'], { acceptEula: true, backend: 'container' }).setup());
    expect(error.code).toBe('LZ_CONTAINER_RUNTIME_UNAVAILABLE');
  });

  it.skipIf(engine)('gets past the licence with LOCALZURE_ACCEPT_EULA=Y, to the missing engine', async () => {
    vi.stubEnv('LOCALZURE_ACCEPT_EULA', 'Y');
    const error = await caught<LocalZureError>(() => harness(['eventhubs'], { backend: 'container' }).setup());
    expect(error.code).toBe('LZ_CONTAINER_RUNTIME_UNAVAILABLE');
  });
});
