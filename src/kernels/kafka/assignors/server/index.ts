// Server-side assignors of the consumer group protocol (KIP-848), ported from Kafka's group coordinator.
export * from './uuid';
export * from './javaCollections';
export * from './groupSpec';
export { UniformAssignor } from './uniformAssignor';
export { ServerRangeAssignor } from './rangeAssignor';
export { UniformHomogeneousAssignmentBuilder } from './uniformHomogeneousAssignmentBuilder';
export { UniformHeterogeneousAssignmentBuilder } from './uniformHeterogeneousAssignmentBuilder';

import { ServerRangeAssignor } from './rangeAssignor';
import { ConsumerGroupPartitionAssignor } from './groupSpec';
import { UniformAssignor } from './uniformAssignor';

export const SERVER_ASSIGNOR_NAMES = ['uniform', 'range'] as const;
export type ServerAssignorName = (typeof SERVER_ASSIGNOR_NAMES)[number];

export function createServerAssignor(name: ServerAssignorName): ConsumerGroupPartitionAssignor {
  return name === 'uniform' ? new UniformAssignor() : new ServerRangeAssignor();
}
