// AbstractPartitionAssignor.MemberInfo ordering: static members (group.instance.id) first, sorted by
// instance id; then dynamic members sorted by member id.
import { compareStrings, Subscription } from './types';

export interface MemberInfo {
  memberId: string;
  groupInstanceId?: string;
}

export function compareMembers(a: MemberInfo, b: MemberInfo): number {
  if (a.groupInstanceId !== undefined && b.groupInstanceId !== undefined) {
    return compareStrings(a.groupInstanceId, b.groupInstanceId);
  }
  if (a.groupInstanceId !== undefined) return -1;
  if (b.groupInstanceId !== undefined) return 1;
  return compareStrings(a.memberId, b.memberId);
}

export function sortedMembers(subscriptions: Map<string, Subscription>, topic?: string): MemberInfo[] {
  const out: MemberInfo[] = [];
  for (const [memberId, s] of subscriptions) {
    if (topic === undefined || s.topics.includes(topic)) out.push({ memberId, groupInstanceId: s.groupInstanceId });
  }
  return out.sort(compareMembers);
}
