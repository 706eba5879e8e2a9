// Leader election as the KRaft controller does it (PartitionChangeBuilder.electLeader). ELR (KIP-966)
// is off by default in 3.9 (eligible.leader.replicas.enable=false), so its step is left out.

export type ElectionType = 'PREFERRED' | 'ONLINE' | 'UNCLEAN';
export const NO_LEADER = -1;

export interface PartitionAssignmentState {
  /** Assignment order; replicas[0] is the preferred leader. */
  replicas: number[];
  isr: number[];
  leader: number;
}

export interface ElectionResult {
  leader: number;
  unclean: boolean;
  /** ISR after the change: an unclean leader becomes the sole ISR member (LeaderRecoveryState.RECOVERING). */
  isr: number[];
  recovering: boolean;
}

export function electLeader(
  p: PartitionAssignmentState,
  election: ElectionType,
  isAcceptable: (broker: number) => boolean,
): ElectionResult {
  const valid = (b: number) => p.isr.includes(b) && isAcceptable(b);
  const clean = (leader: number): ElectionResult => ({ leader, unclean: false, isr: [...p.isr], recovering: false });
  if (election === 'PREFERRED') {
    const preferred = p.replicas[0];
    if (valid(preferred)) return clean(preferred);
    if (valid(p.leader)) return clean(p.leader);
    const other = p.replicas.slice(1).find(valid);
    return clean(other ?? NO_LEADER);
  }
  if (valid(p.leader)) return clean(p.leader);
  const online = p.replicas.find(valid);
  if (online !== undefined) return clean(online);
  if (election === 'UNCLEAN') {
    const any = p.replicas.find(isAcceptable);
    if (any !== undefined) return { leader: any, unclean: true, isr: [any], recovering: true };
  }
  return clean(NO_LEADER);
}
