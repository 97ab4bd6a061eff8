import { describe, expect, it } from 'vitest';
import {
  BulkOperationError,
  CircularDependencyError,
  DependencyFailedError,
  DependencyNotRunningError,
  DiscoveryError,
  DuplicateServiceError,
  LocalZureError,
  MissingDependencyError,
  PortInUseError,
  RuntimeStateError,
  ServiceDisabledError,
  ServiceNotFoundError,
  ServiceStateError,
} from '../../src/index.js';

const cause = new Error('root cause');
const examples: [string, LocalZureError][] = [
  ['LZ_INVALID_STATE', new ServiceStateError('bad state', 'svc')],
  ['LZ_DEPENDENCY_NOT_RUNNING', new DependencyNotRunningError('api', 'db', 'STOPPED')],
  ['LZ_DEPENDENCY_FAILED', new DependencyFailedError('api', 'db')],
  ['LZ_SERVICE_DISABLED', new ServiceDisabledError('api')],
  ['LZ_MISSING_DEPENDENCY', new MissingDependencyError('api', 'db')],
  ['LZ_CIRCULAR_DEPENDENCY', new CircularDependencyError(['a', 'b', 'a'])],
  ['LZ_SERVICE_NOT_FOUND', new ServiceNotFoundError('x', ['a'])],
  ['LZ_DUPLICATE_SERVICE', new DuplicateServiceError('a')],
  ['LZ_START_FAILED', new BulkOperationError('LZ_START_FAILED', 'Starting services', [{ service: 'a', error: cause }])],
  ['LZ_DISCOVERY_FAILED', new DiscoveryError('pkg', 'svc', 'it broke.', cause)],
  ['LZ_PORT_IN_USE', new PortInUseError(8080, 'blob')],
  ['LZ_RUNTIME_STATE', new RuntimeStateError('not started')],
];

describe('LocalZure errors', () => {
  it.each(examples)('%s is a LocalZureError with that stable code and its class name', (code, error) => {
    expect(error).toBeInstanceOf(LocalZureError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('keeps the first failure of a bulk operation as its cause', () => {
    const bulk = examples.find(([code]) => code === 'LZ_START_FAILED')![1];
    expect(bulk.cause).toBe(cause);
  });

  it('keeps the cause of a discovery failure', () => {
    const discovery = examples.find(([code]) => code === 'LZ_DISCOVERY_FAILED')![1];
    expect(discovery.cause).toBe(cause);
  });

  it('makes every service-state refusal catchable as a ServiceStateError', () => {
    for (const error of [new DependencyNotRunningError('a', 'b', 'FAILED'), new DependencyFailedError('a', 'b'), new ServiceDisabledError('a')]) {
      expect(error).toBeInstanceOf(ServiceStateError);
      expect((error as ServiceStateError).service).toBe('a');
    }
  });
});
