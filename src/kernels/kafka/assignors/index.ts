export * from './types';
export { RangeAssignor } from './rangeAssignor';
export { RoundRobinAssignor } from './roundRobinAssignor';
export { StickyAssignor } from './stickyAssignor';
export { CooperativeStickyAssignor } from './cooperativeStickyAssignor';
export { AbstractStickyAssignor } from './abstractStickyAssignor';
export { javaHashMapOrder, javaStringHash } from './javaHashMap';
export { compareMembers } from './memberOrder';

import { CooperativeStickyAssignor } from './cooperativeStickyAssignor';
import { RangeAssignor } from './rangeAssignor';
import { RoundRobinAssignor } from './roundRobinAssignor';
import { StickyAssignor } from './stickyAssignor';
import { PartitionAssignor } from './types';

export const ASSIGNOR_NAMES = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;
export type AssignorName = (typeof ASSIGNOR_NAMES)[number];

export function createAssignor(name: AssignorName): PartitionAssignor {
  switch (name) {
    case 'range':
      return new RangeAssignor();
    case 'roundrobin':
      return new RoundRobinAssignor();
    case 'sticky':
      return new StickyAssignor();
    case 'cooperative-sticky':
      return new CooperativeStickyAssignor();
  }
}
