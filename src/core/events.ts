import type { ServiceState } from './service.js';

export interface ServiceEvent {
  serviceName: string;
  oldState: ServiceState;
  newState: ServiceState;
  error?: Error;
  timestamp: Date;
  /**
   * Present when the event reports work done on a running service rather than
   * a state change (old and new state are then both RUNNING): `reset` once
   * its data was emptied, `seed` once its seed data was applied again.
   */
  operation?: 'reset' | 'seed';
  /** The namespace that operation touched; absent when it touched all of them. */
  namespace?: string;
}

export type ServiceEventListener = (event: ServiceEvent) => void;

/**
 * Fans one event out to many listeners. A listener that throws is reported
 * and skipped: observers must never be able to break the lifecycle.
 */
export class ServiceEventEmitter {
  readonly #listeners = new Set<ServiceEventListener>();

  constructor(private readonly onListenerError: (error: unknown, event: ServiceEvent) => void) {}

  add(listener: ServiceEventListener): void {
    this.#listeners.add(listener);
  }

  remove(listener: ServiceEventListener): void {
    this.#listeners.delete(listener);
  }

  emit(event: ServiceEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
