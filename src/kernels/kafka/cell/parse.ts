// From the validated YAML value to a KafkaModel, plus the checks that span keys (references, counts).
import { Diagnostic, ParseContext, Range } from '../../types';
import {
  MemoryTerm,
  ModelParse,
  formatBytes,
  memoryNeed,
  MAX_WORK_STEPS,
  overMemory,
  parseModel,
  pathLabel,
  workMessage,
} from '../../model';
import { AssignorName } from '../assignors';
import { CleanupPolicy } from '../log/config';
import { AcksSetting, atLeast, GroupProtocolName, KafkaModel, PartitionState, RecordKey, TimelineAction } from '../model';
import { ServerAssignorName } from '../assignors/server';
import { kafkaSchema, LIMITS, TIMELINE_ACTIONS } from './schema';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KafkaParse {
  model: KafkaModel | undefined;
  diagnostics: Diagnostic[];
  reads: string[];
  doc: ModelParse;
}

export function parseKafkaCell(source: string, ctx: ParseContext): KafkaParse {
  const doc = parseModel<Raw>(source, kafkaSchema, ctx);
  const diagnostics = [...doc.diagnostics];
  const raw = doc.value;
  if (!raw) return { model: undefined, diagnostics, reads: doc.reads, doc };
  const err = (range: Range, message: string, code: string) => diagnostics.push({ range, severity: 'error', message, code });
  const warn = (range: Range, message: string, code: string) => diagnostics.push({ range, severity: 'warning', message, code });

  const version = String(raw.kafka_version);
  const c = raw.cluster as Raw;
  const brokers = c.brokers as number;
  const topics = (raw.topics as Raw[]).map((t, i) => {
    const rf = t.replication_factor as number;
    if (rf > brokers)
      err(
        doc.rangeOf(['topics', i, 'replication_factor']),
        `replication_factor ${rf} needs at least ${rf} brokers; the cluster has ${brokers}`,
        'rf-too-large',
      );
    const minIsr = t.min_insync_replicas as number;
    if (minIsr > rf)
      warn(
        doc.rangeOf(['topics', i, 'min_insync_replicas']),
        `min_insync_replicas ${minIsr} > replication_factor ${rf}: every acks=all write fails with NOT_ENOUGH_REPLICAS`,
        'min-isr',
      );
    else if (minIsr === rf && rf > 1)
      warn(
        doc.rangeOf(['topics', i, 'min_insync_replicas']),
        `min_insync_replicas = replication_factor (${rf}): losing any one replica stops acks=all writes; use ${rf - 1}`,
        'min-isr-equals-rf',
      );
    return {
      name: t.name as string,
      id: t.id as string | undefined,
      partitions: t.partitions as number,
      replicationFactor: rf,
      minInsyncReplicas: minIsr,
      retentionS: t.retention as number,
      retentionBytes: t.retention_bytes < 0 ? -1 : (t.retention_bytes as number),
      segmentBytes: t.segment_bytes as number,
      segmentS: t.segment_ms as number,
      indexIntervalBytes: t.index_interval_bytes as number,
      cleanupPolicy: t.cleanup_policy as CleanupPolicy,
      deleteRetentionS: t.delete_retention as number,
      uncleanLeaderElection: t.unclean_leader_election as boolean | undefined,
      states: undefined as PartitionState[] | undefined,
      remoteStorage: t.remote_storage as boolean,
      localRetentionS: t.local_retention as number,
      records: (t.records as Raw[] | undefined)?.map((r, j) => {
        const given = (['key', 'key_int', 'key_bytes'] as const).filter((k) => r[k] !== undefined);
        if (given.length > 1)
          err(
            doc.rangeOf(['topics', i, 'records', j, given[1]]),
            `a record has one key: \`${given[0]}\` and \`${given[1]}\` are both set`,
            'two-keys',
          );
        const key: RecordKey =
          r.key !== undefined
            ? { type: 'string', text: r.key as string }
            : r.key_int !== undefined
              ? { type: 'int', value: r.key_int as number }
              : r.key_bytes !== undefined
                ? { type: 'bytes', bytes: hexBytes(r.key_bytes as string) }
                : null;
        return {
          key,
          value: (r.value as string | undefined) ?? null,
          partition: r.partition as number | undefined,
          timestampS: r.timestamp as number,
        };
      }),
    };
  });
  // Partition states: replicas, leader, ISR and log ends that hold together.
  (raw.topics as Raw[]).forEach((t, i) => {
    const states = t.state as Raw[] | undefined;
    if (!states) return;
    const rf = t.replication_factor as number;
    const seen = new Set<number>();
    const out: PartitionState[] = [];
    states.forEach((st, j) => {
      const at = (k?: string) => doc.rangeOf(['topics', i, 'state', j, ...(k ? [k] : [])]);
      const p = st.partition as number;
      if (p >= t.partitions) {
        err(at('partition'), `partition ${p} does not exist: \`${t.name}\` has ${t.partitions}`, 'bad-partition');
        return;
      }
      if (seen.has(p)) {
        err(at('partition'), `partition ${p} has two states`, 'duplicate');
        return;
      }
      seen.add(p);
      const replicas = st.replicas as number[] | undefined;
      if (replicas) {
        if (replicas.length !== rf) err(at('replicas'), `${replicas.length} replicas, but replication_factor is ${rf}`, 'bad-replicas');
        if (new Set(replicas).size !== replicas.length) err(at('replicas'), 'a broker is listed twice', 'bad-replicas');
        const missing = replicas.find((b) => b > brokers);
        if (missing !== undefined) err(at('replicas'), `broker ${missing} does not exist (brokers are 1..${brokers})`, 'bad-broker');
      }
      const isr = st.isr as number[] | undefined;
      const leader = st.leader as number | undefined;
      const known = replicas ?? null;
      if (known && leader !== undefined && !known.includes(leader))
        err(at('leader'), `the leader, broker ${leader}, is not a replica (${known.join(', ')})`, 'bad-leader');
      if (known && isr?.some((b) => !known.includes(b)))
        err(at('isr'), `the ISR names a broker that is not a replica (${known.join(', ')})`, 'bad-isr');
      if (isr && isr.length === 0) err(at('isr'), 'an ISR has at least the leader', 'bad-isr');
      if (isr && leader !== undefined && !isr.includes(leader))
        err(at('isr'), `the ISR does not include the leader, broker ${leader}`, 'bad-isr');
      const leos = st.leos as number[] | undefined;
      if (leos && leos.length !== (replicas?.length ?? rf))
        err(at('leos'), `${leos.length} log end offsets for ${replicas?.length ?? rf} replicas`, 'bad-leos');
      if (leos && t.records) err(at('leos'), 'the topic lists `records:`: its log ends are theirs', 'bad-leos');
      out.push({ partition: p, replicas, leader, isr, leos });
    });
    topics[i].states = out;
  });
  const names = new Set<string>();
  topics.forEach((t, i) => {
    if (names.has(t.name)) err(doc.rangeOf(['topics', i, 'name']), `topic \`${t.name}\` is declared twice`, 'duplicate');
    names.add(t.name);
    t.records?.forEach((r, j) => {
      if (r.partition !== undefined && r.partition >= t.partitions)
        err(
          doc.rangeOf(['topics', i, 'records', j, 'partition']),
          `partition ${r.partition} does not exist: \`${t.name}\` has ${t.partitions}`,
          'bad-partition',
        );
    });
  });
  const topicRef = (name: string, path: (string | number)[]) => {
    if (!names.has(name))
      err(doc.rangeOf(path), `unknown topic \`${name}\`; declared: ${[...names].map((n) => `\`${n}\``).join(', ')}`, 'unknown-topic');
  };

  const racks = (c.racks as string[]) ?? [];
  const rackRef = (rack: string | undefined, path: (string | number)[]) => {
    if (rack === undefined || racks.includes(rack)) return;
    err(
      doc.rangeOf(path),
      racks.length
        ? `unknown rack \`${rack}\`; the racks are ${racks.map((r) => `\`${r}\``).join(', ')}`
        : `no racks: set \`cluster.racks\` to name the zones`,
      'unknown-zone',
    );
  };
  const producers = ((raw.producers as Raw[]) ?? []).map((p, i) => {
    topicRef(p.topic, ['producers', i, 'topic']);
    rackRef(p.rack as string | undefined, ['producers', i, 'rack']);
    const acks = (p.acks === '-1' ? 'all' : p.acks) as AcksSetting;
    if (p.idempotence === true && acks !== 'all')
      err(
        doc.rangeOf(['producers', i, 'idempotence']),
        'idempotence requires acks=all (the client refuses the configuration)',
        'idempotence-acks',
      );
    if (p.idempotence === true && p.max_in_flight > 5)
      err(
        doc.rangeOf(['producers', i, 'max_in_flight']),
        'idempotence allows at most 5 in-flight requests per connection',
        'idempotence-inflight',
      );
    if (p.transactional === true && (acks !== 'all' || p.idempotence === false))
      err(
        doc.rangeOf(['producers', i, 'transactional']),
        'a transactional producer needs acks=all and idempotence (the client refuses the configuration)',
        'transactional-idempotence',
      );
    return {
      name: p.name as string,
      topic: p.topic as string,
      rate: p.rate as number,
      recordBytes: p.record_size as number,
      keys: p.keys as number,
      acks,
      idempotence: p.idempotence as boolean | undefined,
      batchBytes: p.batch_size as number,
      // KIP-1030: linger.ms defaults to 5 from 4.0.
      lingerS: (p.linger as number | undefined) ?? (atLeast(version, 4, 0) ? 0.005 : 0),
      maxInFlight: p.max_in_flight as number,
      requestTimeoutS: p.request_timeout as number,
      deliveryTimeoutS: p.delivery_timeout as number,
      retryBackoffS: p.retry_backoff as number,
      partitioner: p.partitioner as 'adaptive' | 'uniform',
      rack: p.rack as string | undefined,
      transactional: p.transactional as boolean,
      transactionIntervalS: p.transaction_interval as number,
      abortRate: p.abort_rate as number,
      transactionTimeoutS: p.transaction_timeout as number,
    };
  });
  const groups = ((raw.consumer_groups as Raw[]) ?? []).map((g, i) => {
    (g.topics as string[]).forEach((t, j) => topicRef(t, ['consumer_groups', i, 'topics', j]));
    const protocol = g.protocol as GroupProtocolName;
    const assignor = (g.assignor as string | undefined) ?? (protocol === 'consumer' ? 'uniform' : 'range');
    if (protocol === 'consumer' && !atLeast(version, 4, 0))
      err(
        doc.rangeOf(['consumer_groups', i, 'protocol']),
        `the consumer group protocol (KIP-848) is generally available from Kafka 4.0; set kafka_version: 4.0 (this cell follows ${version})`,
        'protocol-version',
      );
    if (protocol === 'consumer' && assignor !== 'uniform' && assignor !== 'range')
      err(
        doc.rangeOf(['consumer_groups', i, 'assignor']),
        `the consumer protocol assigns on the coordinator: \`group.remote.assignor\` is uniform or range, not ${assignor}`,
        'server-assignor',
      );
    if (protocol === 'classic' && assignor === 'uniform')
      err(
        doc.rangeOf(['consumer_groups', i, 'assignor']),
        'uniform is a server-side assignor of the consumer protocol: set `protocol: consumer`, or pick range, roundrobin, sticky or cooperative-sticky',
        'server-assignor',
      );
    const partitionsOf = new Map(topics.map((t) => [t.name, t.partitions]));
    const listed = (g.members as Raw[] | undefined)?.map((m, j) => {
      rackRef(m.rack as string | undefined, ['consumer_groups', i, 'members', j, 'rack']);
      (m.topics as string[] | undefined)?.forEach((t, k) => topicRef(t, ['consumer_groups', i, 'members', j, 'topics', k]));
      const owns = ((m.owns as string[] | undefined) ?? []).flatMap((text, k) => {
        const at = /^(.+)-(\d+)$/.exec(text);
        const where = doc.rangeOf(['consumer_groups', i, 'members', j, 'owns', k]);
        if (!at) {
          err(where, `\`${text}\` is not a partition: write \`<topic>-<partition>\`, e.g. \`${g.topics[0]}-0\``, 'bad-partition');
          return [];
        }
        const [, topic, n] = at;
        const count = partitionsOf.get(topic);
        if (count === undefined) {
          err(where, `unknown topic \`${topic}\` in \`${text}\``, 'unknown-topic');
          return [];
        }
        if (Number(n) >= count) {
          err(where, `partition ${n} does not exist: \`${topic}\` has ${count}`, 'bad-partition');
          return [];
        }
        return [{ topic, partition: Number(n) }];
      });
      return {
        id: m.id as string | undefined,
        instanceId: m.instance_id as string | undefined,
        topics: m.topics as string[] | undefined,
        owns,
        generation: m.generation as number | undefined,
        rack: m.rack as string | undefined,
      };
    });
    if (listed) {
      if (doc.ranges.has(`consumer_groups.${i}.consumers`))
        err(
          doc.rangeOf(['consumer_groups', i, 'consumers']),
          '`consumers` and `members` both set: list the members, or give their count',
          'members-twice',
        );
      const ids = new Set<string>();
      listed.forEach((m, j) => {
        const id = m.id ?? `${g.name}-consumer-${j + 1}`;
        if (ids.has(id))
          err(
            doc.rangeOf(
              ['consumer_groups', i, 'members', j, m.id ? 'id' : undefined].filter((x) => x !== undefined) as (string | number)[],
            ),
            `member id \`${id}\` is used twice in \`${g.name}\``,
            'duplicate',
          );
        ids.add(id);
      });
      const owner = new Map<string, number>();
      listed.forEach((m, j) =>
        m.owns.forEach((o, k) => {
          const key = `${o.topic}-${o.partition}`;
          // Classic sticky assignors take partitions claimed twice as a conflict to resolve; the consumer protocol cannot have one.
          if (owner.has(key) && protocol === 'consumer')
            err(
              doc.rangeOf(['consumer_groups', i, 'members', j, 'owns', k]),
              `\`${key}\` is owned by two members; the coordinator gives a partition to one member at a time`,
              'owned-twice',
            );
          owner.set(key, j);
        }),
      );
    }
    const committed = Object.entries((g.committed as Record<string, number> | undefined) ?? {}).flatMap(([key, offset]) => {
      const at = /^(.+)-(\d+)$/.exec(key);
      const where = doc.rangeOf(['consumer_groups', i, 'committed', key], true);
      const count = at ? partitionsOf.get(at[1]) : undefined;
      if (!at || count === undefined) {
        err(where, `\`${key}\` is not a partition of a topic here: write \`<topic>-<partition>\``, 'bad-partition');
        return [];
      }
      if (Number(at[2]) >= count) {
        err(where, `partition ${at[2]} does not exist: \`${at[1]}\` has ${count}`, 'bad-partition');
        return [];
      }
      return [{ topic: at[1], partition: Number(at[2]), offset }];
    });
    return {
      name: g.name as string,
      topics: g.topics as string[],
      protocol,
      assignor: assignor as AssignorName | ServerAssignorName,
      // heartbeat.interval.ms is 3 s in the classic client; group.consumer.heartbeat.interval.ms is 5 s on the broker.
      heartbeatIntervalS: (g.heartbeat_interval as number | undefined) ?? (protocol === 'consumer' ? 5 : 3),
      committed,
      consumers: listed ? listed.length : (g.consumers as number),
      members: listed,
      static: g.static as boolean,
      rate: g.rate as number,
      autoOffsetReset: g.auto_offset_reset as 'latest' | 'earliest',
      isolationLevel: g.isolation_level as 'read_uncommitted' | 'read_committed',
      autoCommitIntervalS: g.auto_commit_interval as number,
      sessionTimeoutS: g.session_timeout as number,
      maxPollIntervalS: g.max_poll_interval as number,
      rebalanceS: g.rebalance_time as number,
      pollS: g.poll_interval as number,
    };
  });
  const groupNames = new Set(groups.map((g) => g.name));
  const timeline = ((raw.timeline as Raw[]) ?? []).map((e, i) => {
    const actions = TIMELINE_ACTIONS.filter((a) => e[a] !== undefined);
    if (actions.length !== 1) {
      err(
        doc.rangeOf(['timeline', i]),
        `a timeline event needs exactly one action (${TIMELINE_ACTIONS.map((a) => `\`${a}\``).join(', ')}), found ${actions.length}`,
        'timeline-action',
      );
    }
    const action = actions[0] as TimelineAction | undefined;
    const ev = { atS: e.at as number, action: action ?? 'kill_broker', index: i } as KafkaModel['timeline'][number];
    if (action === 'reassign') {
      const at = /^(.+)-(\d+)$/.exec(e[action] as string);
      const count = at ? topics.find((t) => t.name === at[1])?.partitions : undefined;
      if (!at || count === undefined)
        err(
          doc.rangeOf(['timeline', i, action]),
          `\`${e[action]}\` is not a partition of a topic here: write \`<topic>-<partition>\``,
          'bad-partition',
        );
      else if (Number(at[2]) >= count)
        err(doc.rangeOf(['timeline', i, action]), `partition ${at[2]} does not exist: \`${at[1]}\` has ${count}`, 'bad-partition');
      else {
        ev.topic = at[1];
        ev.partition = Number(at[2]);
      }
      const replicas = e.replicas as number[] | undefined;
      if (!replicas?.length) err(doc.rangeOf(['timeline', i]), '`reassign` needs `replicas:`, the new replica list', 'bad-replicas');
      else if (new Set(replicas).size !== replicas.length)
        err(doc.rangeOf(['timeline', i, 'replicas']), 'a broker is listed twice', 'bad-replicas');
      else if (replicas.some((b) => b > brokers))
        err(
          doc.rangeOf(['timeline', i, 'replicas']),
          `broker ${replicas.find((b) => b > brokers)} does not exist (brokers are 1..${brokers})`,
          'bad-broker',
        );
      ev.replicas = replicas;
    } else if (action === 'elect_preferred') {
      const topic = e[action] as string;
      if (topic !== 'all') {
        topicRef(topic, ['timeline', i, action]);
        ev.topic = topic;
      }
    } else if (action === 'kill_producer' || action === 'restart_producer') {
      ev.producer = e[action] as string;
      if (!producers.some((p) => p.name === ev.producer))
        err(doc.rangeOf(['timeline', i, action]), `unknown producer \`${ev.producer}\``, 'unknown-producer');
    } else if (action === 'kill_zone' || action === 'restart_zone') {
      ev.zone = e[action] as string;
      const racks = (c.racks as string[]) ?? [];
      if (!racks.includes(ev.zone))
        err(
          doc.rangeOf(['timeline', i, action]),
          racks.length
            ? `unknown zone \`${ev.zone}\`; the racks are ${racks.map((r) => `\`${r}\``).join(', ')}`
            : `no racks: set \`cluster.racks\` to name the zones`,
          'unknown-zone',
        );
    } else if (action === 'kill_broker' || action === 'restart_broker') {
      ev.broker = e[action] as number;
      if (ev.broker > brokers)
        err(doc.rangeOf(['timeline', i, action]), `broker ${ev.broker} does not exist (brokers are 1..${brokers})`, 'bad-broker');
    } else if (action) {
      ev.group = e[action] as string;
      if (!groupNames.has(ev.group)) err(doc.rangeOf(['timeline', i, action]), `unknown consumer group \`${ev.group}\``, 'unknown-group');
    }
    ev.member = e.member as string | undefined;
    ev.forS = e.for as number | undefined;
    if (e.at > raw.duration)
      warn(doc.rangeOf(['timeline', i, 'at']), `at ${e.at} s is after the end of the run (${raw.duration} s)`, 'after-end');
    return ev;
  });
  const inspect = ((raw.inspect as Raw[]) ?? []).map((q, i) => {
    topicRef(q.topic, ['inspect', i, 'topic']);
    return { topic: q.topic as string, partition: q.partition as number, offset: q.offset as number };
  });
  checkSize(raw, doc, err);
  const s = raw.sizing as Raw | undefined;
  const hasSizing = doc.ranges.has('sizing');
  const model: KafkaModel = {
    kafkaVersion: version,
    name: raw.name as string | undefined,
    nameRange: raw.name !== undefined ? doc.rangeOf(['name']) : undefined,
    seed: raw.seed as number | undefined,
    durationS: raw.duration as number,
    sampleS: raw.sample_interval as number | undefined,
    cluster: {
      brokers,
      replicaFetchS: c.replica_fetch_interval as number,
      brokerSessionTimeoutS: c.broker_session_timeout as number,
      replicaLagTimeMaxS: c.replica_lag_time_max as number,
      uncleanLeaderElection: c.unclean_leader_election as boolean,
      networkRttS: c.network_rtt as number,
      racks: (c.racks as string[]) ?? [],
      rackAwarePlacement: c.rack_aware_placement as boolean,
      autoLeaderRebalance: c.auto_leader_rebalance as boolean,
      leaderImbalanceCheckIntervalS: c.leader_imbalance_check_interval as number,
      reassignmentThrottle: c.reassignment_throttle as number,
      replicaSelector: c.replica_selector as 'leader' | 'rack-aware',
      crossZonePricePerGB: c.cross_zone_price as number | undefined,
      currency: c.currency as 'USD' | 'EUR' | 'GBP',
    },
    topics,
    producers,
    groups,
    timeline,
    inspect,
    sizing:
      hasSizing && s
        ? {
            diskBytesPerSecond: s.disk_throughput as number,
            diskCapacityBytes: s.disk_capacity as number,
            nicGbps: s.nic_gbps as number,
            cores: s.cores as number,
            tls: s.tls as boolean,
            targetUtilization: s.target_utilization as number,
            coldReadFraction: s.cold_read_fraction as number,
            brokers: s.brokers as number,
          }
        : undefined,
  };
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { model: ok ? model : undefined, diagnostics, reads: doc.reads, doc };
}

function hexBytes(text: string): Uint8Array {
  const h = text.startsWith('0x') ? text.slice(2) : text;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The bounds that span keys (docs/limits.md): partitions and replicas in all topics, producer streams, order tracking, consumers, records, samples. */
function checkSize(raw: Raw, doc: ModelParse, report: (range: Range, message: string, code: string) => void): void {
  const n = (x: number) => x.toLocaleString('en-US');
  let refused = false;
  const err = (range: Range, message: string, code: string) => {
    refused = true;
    report(range, message, code);
  };
  const topics = raw.topics as Raw[];
  const over = (total: number, part: number, max: number) => total > max && total - part <= max;
  let partitions = 0,
    replicas = 0,
    records = 0;
  topics.forEach((t, i) => {
    partitions += t.partitions;
    replicas += t.partitions * t.replication_factor;
    records += (t.records as unknown[] | undefined)?.length ?? 0;
    if (over(partitions, t.partitions, LIMITS.partitions)) {
      err(
        doc.rangeOf(['topics', i, 'partitions']),
        `\`topics[${i}].partitions\`: the topics have ${n(topics.reduce((a, x) => a + x.partitions, 0))} partitions in all — at most ${n(LIMITS.partitions)} in a model${memoryNeed(partitions, { what: '', bytesEach: LIMITS.partitionBytes })}`,
        'too-large',
      );
    }
    if (over(replicas, t.partitions * t.replication_factor, LIMITS.replicas)) {
      err(
        doc.rangeOf(['topics', i, 'replication_factor']),
        `\`topics[${i}]\`: ${n(t.partitions)} partitions × replication factor ${t.replication_factor}, ${n(replicas)} partition replicas with the topics above — at most ${n(LIMITS.replicas)} in a model: brokers visit every replica they hold once per replica_fetch_interval (here ${(replicas / raw.cluster.replica_fetch_interval).toPrecision(2).replace('+', '')} visits per simulated second), and Kafka itself advises about 4,000 replicas per broker`,
        'too-large',
      );
    }
    if (over(records, (t.records as unknown[] | undefined)?.length ?? 0, LIMITS.records)) {
      err(
        doc.rangeOf(['topics', i, 'records'], true),
        `\`topics[${i}].records\`: ${n(records)} explicit records with the topics above — at most ${n(LIMITS.records)} in a model${memoryNeed(records, { what: '', bytesEach: LIMITS.recordBytes })}`,
        'too-large',
      );
    }
  });
  const partitionsOf = new Map(topics.map((t) => [t.name as string, t.partitions as number]));
  const producers = (raw.producers as Raw[]) ?? [];
  let streams = 0;
  producers.forEach((p, i) => {
    const mine = p.keys > 0 ? (partitionsOf.get(p.topic) ?? 0) : 1;
    streams += mine;
    if (over(streams, mine, LIMITS.streams)) {
      err(
        doc.rangeOf(['producers', i], true),
        `\`producers[${i}]\`: a keyed producer writes one batch stream per partition of its topic: ${n(streams)} streams with the producers above — at most ${n(LIMITS.streams)} in a model${memoryNeed(streams, { what: '', bytesEach: LIMITS.streamBytes })}`,
        'too-large',
      );
    }
  });
  let slots = 0,
    consumers = 0;
  ((raw.consumer_groups as Raw[]) ?? []).forEach((g, i) => {
    // Per-key order is tracked per partition (of every topic) and producer.
    const mine = partitions * Math.max(1, producers.length);
    slots += mine;
    if (over(slots, mine, LIMITS.orderSlots)) {
      err(
        doc.rangeOf(['consumer_groups', i, 'topics'], true),
        `\`consumer_groups[${i}]\`: order tracking keeps one slot per partition and producer, ${n(slots)} with the groups above — at most ${n(LIMITS.orderSlots)} in a model${memoryNeed(slots, { what: '', bytesEach: LIMITS.orderSlotBytes })}`,
        'too-large',
      );
    }
    const count = (g.members as unknown[] | undefined)?.length ?? (g.consumers as number);
    consumers += count;
    if (over(consumers, count, LIMITS.consumers)) {
      err(
        doc.rangeOf(['consumer_groups', i, 'consumers']),
        `\`consumer_groups[${i}].consumers\`: ${n(consumers)} members with the groups above — at most ${n(LIMITS.consumers)} in a model (each rebalance assigns every member)`,
        'too-large',
      );
    }
  });
  // Work: each broker visits every partition it holds once per fetch interval; producers send batches.
  const fetches = (raw.duration / raw.cluster.replica_fetch_interval) * replicas;
  const batches = producers.reduce(
    (a, p) => a + (raw.duration * p.rate) / Math.max(1, Math.floor(p.batch_size / Math.max(1, p.record_size))),
    0,
  );
  if (fetches + batches > MAX_WORK_STEPS) {
    const path = fetches > batches ? ['cluster', 'replica_fetch_interval'] : ['duration'];
    err(
      doc.rangeOf(path),
      `\`${path.join('.')}\`: ${workMessage(fetches + batches, 'replica fetches: duration / replica_fetch_interval × partition replicas, and producer batches')}`,
      'too-much-work',
    );
  }
  const sampleS = (raw.sample_interval as number | undefined) ?? Math.max(raw.duration / 60, 0.001);
  const samples = Math.floor(raw.duration / sampleS);
  if (samples > LIMITS.samples) {
    err(
      doc.rangeOf(raw.sample_interval !== undefined ? ['sample_interval'] : ['duration']),
      `\`${raw.sample_interval !== undefined ? 'sample_interval' : 'duration'}\`: ${n(samples)} lag and throughput samples — at most ${n(LIMITS.samples)} in a run (duration / sample_interval)`,
      'too-large',
    );
  }
  if (refused) return;
  // The parts together (each was within its own limit).
  const biggest = (xs: number[]) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
  const groups = (raw.consumer_groups as Raw[]) ?? [];
  const terms: MemoryTerm[] = [
    {
      path: ['topics', biggest(topics.map((t) => t.partitions)), 'partitions'],
      what: 'partitions',
      bytes: partitions * LIMITS.partitionBytes,
    },
    {
      path: ['topics', biggest(topics.map((t) => t.partitions * t.replication_factor)), 'replication_factor'],
      what: 'replicas',
      bytes: replicas * LIMITS.replicaBytes,
    },
    {
      path: ['topics', biggest(topics.map((t) => (t.records as unknown[] | undefined)?.length ?? 0)), 'records'],
      what: 'records',
      bytes: records * LIMITS.recordBytes,
    },
    { path: ['producers'], what: 'producer streams', bytes: streams * LIMITS.streamBytes },
    { path: ['consumer_groups'], what: 'order tracking', bytes: slots * LIMITS.orderSlotBytes },
    {
      path: groups.length
        ? ['consumer_groups', biggest(groups.map((g) => (g.members as unknown[] | undefined)?.length ?? g.consumers)), 'consumers']
        : ['consumer_groups'],
      what: 'members',
      bytes: consumers * LIMITS.consumerBytes,
    },
  ];
  const memory = overMemory(terms, formatBytes);
  if (memory) err(doc.rangeOf(memory.path), `\`${pathLabel(memory.path)}\`: ${memory.message}`, 'too-large');
}
