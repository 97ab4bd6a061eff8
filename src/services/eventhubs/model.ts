/** A hub as the seed defines it. */
export interface HubDefinition {
  name: string;
  partitionCount: number;
  /** Besides `$Default`, which every hub has. */
  consumerGroups: string[];
  retentionMs: number;
}

/** The group every hub has, whatever the seed says. */
export const DEFAULT_CONSUMER_GROUP = '$Default';

/** Azure's limit on one event, or one batch, on a Standard namespace; the sender link advertises it. */
export const MAX_MESSAGE_SIZE = 1024 * 1024;

/** Azure's default retention for a new hub (one day); the emulator's clock decides when it has passed. */
export const DEFAULT_RETENTION_MS = 24 * 3600_000;

/** Azure's limit on partitions per hub (Standard tier). */
export const MAX_PARTITIONS = 32;

/** Azure's limit on receivers of one partition in one consumer group. */
export const MAX_READERS_PER_PARTITION = 5;
