import { installNetworkGuard } from '../guard/install.js';
import type { NetworkGuard } from '../guard/network-guard.js';
import { ControlClient } from './control-client.js';
import { environmentForAccount, type Environment } from './environment.js';
import type { Handover } from './handover.js';
import { currentWorkerId, workerAccount } from './worker.js';

/** An account lent to one test, and how to hand it back. */
export interface LentAccount {
  environment: Environment;
  /** Returns the account; it is emptied and re-seeded before the next test gets it. */
  giveBack(): void;
}

interface Slot {
  environment: Environment;
  /** Settles when the slot is clean: registered and reset after its last test. */
  ready: Promise<void>;
}

/**
 * Hands each test a storage account nobody else is using, so tests that run
 * at the same time (`test.concurrent`, `describe.concurrent`) never share
 * data. Accounts are pooled per worker: a returned one is reset in the
 * background (nothing to do for services its test never touched) and lent
 * again, so a file makes as many accounts as it runs tests at once, and a
 * test waits for no reset of its own.
 *
 * Names are `<base>w<worker>t<slot>`, derived like worker accounts, so a
 * later file in the same worker slot meets the same names again; a slot is
 * reset before its first loan for that reason.
 */
export class AccountPool {
  readonly #handover: Handover;
  readonly #control: ControlClient;
  readonly #workerId: string;
  readonly #free: Slot[] = [];
  #made = 0;
  #guard: Promise<NetworkGuard> | undefined;

  constructor(handover: Handover, workerId = currentWorkerId() ?? '0') {
    this.#handover = handover;
    this.#control = new ControlClient(handover.environment.controlUrl);
    this.#workerId = workerId;
  }

  /** An account of its own for the calling test, clean and seeded; the guard is armed first. */
  async lend(): Promise<LentAccount> {
    await this.#armGuard();
    const slot = this.#free.pop() ?? this.#newSlot();
    await slot.ready;
    return {
      environment: slot.environment,
      giveBack: () => {
        slot.ready = this.#control.reset(slot.environment.account.name).then(() => undefined);
        // A failed reset fails the next loan of the slot, not the process as an unhandled rejection.
        slot.ready.catch(() => {});
        this.#free.push(slot);
      },
    };
  }

  #newSlot(): Slot {
    const base = this.#handover.environment;
    const environment = environmentForAccount(base, workerAccount(base.account, `${this.#workerId}t${this.#made++}`));
    const ready = this.#control
      .registerNamespace(environment.account)
      .then(() => this.#control.reset(environment.account.name))
      .then(() => undefined);
    return { environment, ready };
  }

  async #armGuard(): Promise<void> {
    const guard = this.#handover.guard;
    if (guard === false) return;
    this.#guard ??= installNetworkGuard({ ...guard, environment: this.#handover.environment });
    (await this.#guard).arm();
  }
}
