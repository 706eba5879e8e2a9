// The consumer-side assignor contract (ConsumerPartitionAssignor), reduced to what the model needs.

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface Subscription {
  topics: string[];
  /** Partitions the member owned in its last generation (cooperative: still owns; eager: from user data). */
  ownedPartitions?: TopicPartition[];
  /** Generation the owned partitions belong to; absent = unknown (DEFAULT_GENERATION). */
  generation?: number;
  /** group.instance.id of a static member. */
  groupInstanceId?: string;
}

export type RebalanceProtocol = 'eager' | 'cooperative';

/** One policy, one class: swapping policy means naming another class. */
export interface PartitionAssignor {
  /** Kafka's `name()`: range, roundrobin, sticky, cooperative-sticky. */
  readonly name: string;
  readonly protocol: RebalanceProtocol;
  /**
   * @param partitionsPerTopic topic -> partition count
   * @param subscriptions member id -> subscription, in the order the members joined (Java's HashMap
   *   iteration order is derived from it where the real assignor depends on it).
   */
  assign(partitionsPerTopic: Map<string, number>, subscriptions: Map<string, Subscription>): Map<string, TopicPartition[]>;
}

export const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });
export const tpKey = (t: TopicPartition): string => `${t.topic}-${t.partition}`;

/** Java String.compareTo (UTF-16 code unit order), which is also JS's default `<`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareTopicThenPartition(a: TopicPartition, b: TopicPartition): number {
  return compareStrings(a.topic, b.topic) || a.partition - b.partition;
}
