// UniformAssignor (group coordinator, the default of group.consumer.assignors): the homogeneous
// builder when every member subscribes to the same topics, the heterogeneous one otherwise.
import { ConsumerGroupPartitionAssignor, GroupAssignment, GroupSpec, SubscribedTopicDescriber } from './groupSpec';
import { UniformHeterogeneousAssignmentBuilder } from './uniformHeterogeneousAssignmentBuilder';
import { UniformHomogeneousAssignmentBuilder } from './uniformHomogeneousAssignmentBuilder';

export class UniformAssignor implements ConsumerGroupPartitionAssignor {
  readonly name = 'uniform' as const;

  assign(spec: GroupSpec, topics: SubscribedTopicDescriber): GroupAssignment {
    if (spec.members.size === 0) return new Map();
    return spec.subscriptionType === 'HOMOGENEOUS'
      ? new UniformHomogeneousAssignmentBuilder(spec, topics).build()
      : new UniformHeterogeneousAssignmentBuilder(spec, topics).build();
  }
}
