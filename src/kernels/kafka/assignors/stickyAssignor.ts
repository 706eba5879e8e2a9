// StickyAssignor: eager. Members revoke everything before the rebalance; stickiness comes from the
// previous assignment carried in user data (here `ownedPartitions` + `generation`).
import { AbstractStickyAssignor } from './abstractStickyAssignor';

export class StickyAssignor extends AbstractStickyAssignor {
  readonly name = 'sticky';
  readonly protocol = 'eager' as const;
}
