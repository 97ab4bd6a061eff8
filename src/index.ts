export { AdjustableClock, ClockMoveError, LATEST_CLOCK_TIME, type Clock } from './core/clock.js';
export {
  findServiceDeclarations,
  loadService,
  type ServiceDeclaration,
  type ServiceFactory,
} from './core/discovery.js';
export { resolveStartOrder, type GraphNode } from './core/dependency-graph.js';
export type {
  BlobAccountSnapshot,
  BlobItemSnapshot,
  BlobServiceSnapshot,
  ContainerSnapshot,
  CosmosAccountSnapshot,
  CosmosContainerSnapshot,
  CosmosServiceSnapshot,
  EventHubsNamespaceSnapshot,
  EventHubsPartitionSnapshot,
  EventHubsServiceSnapshot,
  QueueAccountSnapshot,
  QueueMessageSnapshot,
  QueueServiceSnapshot,
  QueueSnapshot,
  RuntimeState,
  ServiceBusEntitySnapshot,
  ServiceBusMessageSnapshot,
  ServiceBusNamespaceSnapshot,
  ServiceBusServiceSnapshot,
  ServiceSnapshot,
  TableAccountSnapshot,
  TableServiceSnapshot,
  TableSnapshot,
} from './core/inspection.js';
export {
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
  type ServiceFailure,
} from './core/errors.js';
export { type ServiceEvent, type ServiceEventListener } from './core/events.js';
export { DEFAULT_ACCOUNT, InvalidNamespaceError, isAccountKey, NamespaceRegistry, type Namespace } from './core/namespaces.js';
export {
  LocalZureService,
  ServiceState,
  isValidTransition,
  type HealthStatus,
  type Logger,
  type SeedSource,
  type ServiceContext,
  type ServiceLimits,
  type StorageAccountSettings,
  type ServiceEndpoint,
  type ServiceHealth,
  type ServiceMetadata,
  type ServiceRoute,
} from './core/service.js';
export {
  ServiceManager,
  type DiscoverOptions,
  type DiscoveryReport,
  type ServiceStatus,
} from './core/service-manager.js';
export { LocalZureRuntime, type RuntimeOptions } from './runtime/runtime.js';
export { InvalidAccountsError, parseAzuriteAccounts } from './runtime/accounts.js';
export { buildEnvironment, environmentForAccount, type Environment } from './harness/environment.js';
export {
  withLocalZure,
  LocalZureHarness,
  type LocalZureOptions,
  type ProvideContext,
  type SeedData,
  type WorkerSettings,
} from './harness/with-localzure.js';
export { advanceClock, ControlClient, resetLocalZure, type ResetTarget } from './harness/control-client.js';
export { currentWorkerId, workerAccount, workerEnvironment } from './harness/worker.js';
export type { StorageBackend } from './harness/storage-backend.js';
export { clearRequests, requests } from './harness/requests.js';
export { clearFaults, injectFault } from './harness/faults.js';
export { restore, snapshot } from './harness/snapshots.js';
export type { SnapshotInfo } from './runtime/snapshot-routes.js';
export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotFileError, readSnapshotFile, type SnapshotFile } from './core/snapshot-file.js';
export { fromSnapshotJson, toSnapshotJson, type SnapshotAdapter } from './core/snapshot-json.js';
export {
  DEFAULT_JOURNAL_CAPACITY,
  RequestJournal,
  type JournalEntry,
  type JournalFilter,
  type JournalPage,
} from './core/request-journal.js';
export { FaultInjector, InvalidFaultError, type Fault, type FaultSpec, type FaultTarget } from './core/fault-injector.js';
export { installNetworkGuard } from './guard/install.js';
export { NetworkGuard, type GuardOptions, type NetworkGuardOptions } from './guard/network-guard.js';
export { AZURE_DOMAINS, isAzureHost } from './guard/azure-hosts.js';
export { RealAzureBlockedError } from './guard/errors.js';
export { failureReport, type ReportTarget } from './harness/failure-report.js';
export {
  AlreadySetUpError,
  ControlRequestError,
  InvalidOptionError,
  NotSetUpError,
  OutsideTestFileError,
} from './harness/errors.js';
export { BlobService } from './services/blob/index.js';
export { BlobSeedError } from './services/blob/seed.js';
export { QueueService } from './services/queue/index.js';
export { QueueSeedError } from './services/queue/seed.js';
export { TableService } from './services/table/index.js';
export { TableSeedError } from './services/table/seed.js';
export { CosmosDbService } from './services/cosmosdb/index.js';
export { CosmosSeedError } from './services/cosmosdb/seed.js';
export { COSMOS_EMULATOR_KEY } from './services/cosmosdb/auth.js';
export { EventHubsService } from './services/eventhubs/index.js';
export { EventHubsSeedError } from './services/eventhubs/seed.js';
export { ServiceBusService } from './services/servicebus/index.js';
export { ServiceBusSeedError } from './services/servicebus/seed.js';
export {
  ContainerConfigError,
  ContainerRuntimeUnavailableError,
  LicenseNotAcceptedError,
} from './containers/errors.js';
