import type { StartedNetwork } from 'testcontainers';
import type { Testcontainers } from './runtime-availability.js';

/** What a running container tells the containers that depend on it. */
export interface ContainerLink {
  /** Its DNS name on the group's network. */
  alias: string;
  /** Whatever else dependents need to connect, e.g. `{ password }`. */
  settings: Record<string, string>;
}

/** A member the group can recreate when a container it depends on was recreated. */
export interface GroupMember {
  readonly name: string;
  readonly dependencies: readonly string[];
  recreate(): Promise<void>;
}

/**
 * The container services of one runtime: one user-defined network they all
 * join (so dependents reach dependencies by alias), the links they publish,
 * and who is running. Created with the first member, removed with the last.
 */
export class ContainerGroup {
  readonly #links = new Map<string, ContainerLink>();
  readonly #members = new Map<string, GroupMember>();
  #network: Promise<StartedNetwork> | undefined;

  async join(member: GroupMember, tc: Testcontainers): Promise<StartedNetwork> {
    this.#members.set(member.name, member);
    this.#network ??= new tc.Network().start();
    try {
      return await this.#network;
    } catch (error) {
      this.#network = undefined;
      this.#members.delete(member.name);
      throw error;
    }
  }

  /** Removes the member; the last one out removes the network. Safe to call for a member that never joined. */
  async leave(name: string): Promise<void> {
    this.#links.delete(name);
    if (!this.#members.delete(name) || this.#members.size > 0 || !this.#network) return;
    const network = this.#network;
    this.#network = undefined;
    await (await network).stop();
  }

  publish(name: string, link: ContainerLink): void {
    this.#links.set(name, link);
  }

  link(name: string): ContainerLink | undefined {
    return this.#links.get(name);
  }

  /** Recreates, in turn, every member that depends on `name`, because its state lived in what `name` just lost. */
  async recreateDependentsOf(name: string): Promise<void> {
    for (const member of [...this.#members.values()]) {
      if (member.dependencies.includes(name)) await member.recreate();
    }
  }
}

const groups = new WeakMap<object, ContainerGroup>();

/**
 * The group of the runtime that owns `anchor`. Services are built from
 * separate contexts, but every service of one manager shares the same
 * NamespaceRegistry instance, so it identifies the runtime; a second runtime
 * in the same process gets its own network and aliases.
 */
export function containerGroupFor(anchor: object): ContainerGroup {
  let group = groups.get(anchor);
  if (!group) groups.set(anchor, (group = new ContainerGroup()));
  return group;
}
