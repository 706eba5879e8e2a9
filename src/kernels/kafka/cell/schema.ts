// The `sdnb-kafka` cell schema: one declaration drives validation, hover and completion.
import { duration, Field, MODEL_NAME, MODEL_NAME_HINT, ObjectField, rate, solveField, sweepField } from '../../model';
import { ASSIGNOR_NAMES } from '../assignors';
import { SERVER_ASSIGNOR_NAMES } from '../assignors/server';

const size = (description: string, extra: Partial<Extract<Field, { type: 'number' }>> = {}): Field => ({
  type: 'number',
  dimension: 'data',
  unit: 'B',
  min: 0,
  max: LIMITS.bytes,
  description,
  ...extra,
});

/**
 * The largest model one run takes (docs/limits.md), declared once: the schema below and the checks that
 * span keys (cell/parse.ts) read them, so messages and hover agree. Bytes per unit are measured
 * (KafkaSimulation, V8 on 64-bit): a partition about 6 kB (its log columns, request queue and
 * replication state, before it grows with records), a replica 150 B, a producer stream 400 B, a
 * consumer-group order slot 8 B, an explicit record about 8 kB (its YAML, the exact log and two report rows).
 */
export const LIMITS = {
  /** Partitions in all topics. */
  partitions: 20_000,
  partitionBytes: 6000,
  /** Partition replicas in all topics (partitions × replication factor). */
  replicas: 200_000,
  replicaBytes: 150,
  /** Keyed producers run one stream per partition of their topic; null-key producers one. */
  streams: 100_000,
  streamBytes: 400,
  /** Per-key order tracking: groups × partitions they read × producers. */
  orderSlots: 10_000_000,
  orderSlotBytes: 8,
  keys: 1_000_000,
  consumers: 10_000,
  consumerBytes: 1000,
  /** Explicit `records:` in all topics. */
  records: 10_000,
  recordBytes: 8000,
  /** Lag and throughput samples in a run (duration / sample_interval). */
  samples: 100_000,
  /** Items of the cell's lists. */
  topics: 1000,
  producers: 1000,
  groups: 100,
  timeline: 10_000,
  inspect: 1000,
  /** Data sizes (1 PB); Kafka's int-sized settings stop at 2^31 − 1 as Kafka's do. */
  bytes: 1e15,
  int32: 2_147_483_647,
  /** Batches kept in all partition logs, and produce requests waiting, at once (the run stops past them). */
  liveBatches: 4_000_000,
  pendingRequests: 1_000_000,
} as const;

const topic: ObjectField = {
  type: 'object',
  description: 'A topic: partitions replicated across brokers.',
  fields: {
    name: {
      type: 'string',
      required: true,
      description: 'Topic name.',
      pattern: /^[A-Za-z0-9._-]{1,249}$/,
      patternHint: 'may use letters, digits, `.`, `_` and `-` (Kafka topic rules)',
    },
    id: {
      type: 'string',
      pattern: /^[A-Za-z0-9_-]{22}$/,
      patternHint: 'should be a Kafka topic id: 22 characters of URL-safe base64, e.g. `T1-A4s3VTwiI5CTbEp6POw`',
      description:
        "Topic id (a Uuid; default: random from the seed, as Kafka makes them). The consumer protocol's assignors iterate topics by id.",
    },
    partitions: {
      type: 'integer',
      min: 1,
      max: 10000,
      limit: { what: 'partitions per topic', bytesEach: LIMITS.partitionBytes },
      default: 6,
      description: 'Number of partitions (`num.partitions`). Keys map to partitions by murmur2 over all of them.',
    },
    replication_factor: {
      type: 'integer',
      min: 1,
      max: 100,
      default: 3,
      description: 'Replicas per partition (`replication.factor`); at most the number of brokers.',
    },
    min_insync_replicas: {
      type: 'integer',
      min: 1,
      default: 2,
      description:
        '`min.insync.replicas`: acks=all writes need this many in-sync replicas, else NOT_ENOUGH_REPLICAS. From 3.7 the high watermark also freezes below it.',
    },
    retention: duration('`retention.ms`: segments whose newest record is older are deleted. -1 = forever.', 'ms', {
      default: 604800000,
      min: -1,
    }),
    retention_bytes: size(
      '`retention.bytes` per partition: oldest segments go while the log minus the segment stays >= this. -1 = unlimited.',
      { default: -1, min: -1 },
    ),
    segment_bytes: size('`segment.bytes`: the active segment rolls when the next batch would not fit.', {
      default: 1073741824,
      min: 14,
      max: LIMITS.int32,
    }),
    segment_ms: duration('`segment.ms`: roll the active segment after this long.', 'ms', { default: 604800000 }),
    index_interval_bytes: size('`index.interval.bytes`: a sparse offset index entry after more than this many bytes.', {
      default: 4096,
      max: LIMITS.int32,
    }),
    cleanup_policy: {
      type: 'enum',
      values: ['delete', 'compact', 'compact,delete'],
      default: 'delete',
      description: '`cleanup.policy`: delete old segments, compact to the last value per key, or both.',
    },
    delete_retention: duration('`delete.retention.ms`: how long tombstones survive compaction.', 'ms', { default: 86400000 }),
    unclean_leader_election: { type: 'boolean', description: 'Topic override of `unclean.leader.election.enable`.' },
    state: {
      type: 'list',
      maxItems: LIMITS.partitions,
      limit: { what: 'partition states (one per partition)' },
      description: "Partitions whose state at the start the cell sets: replicas, leader, ISR and each replica's log end offset.",
      items: {
        type: 'object',
        description: "One partition's state at the start.",
        fields: {
          partition: { type: 'integer', min: 0, required: true, description: 'The partition.' },
          replicas: {
            type: 'list',
            items: { type: 'integer', min: 1, description: 'A broker id.' },
            maxItems: 100,
            description: 'Its replicas (replication_factor brokers; the first is the preferred leader), instead of the placement.',
          },
          leader: { type: 'integer', min: 1, description: 'Its leader (default: the first replica).' },
          isr: {
            type: 'list',
            items: { type: 'integer', min: 1, description: 'A broker id.' },
            maxItems: 100,
            description: 'Its in-sync replicas, the leader among them (default: all replicas).',
          },
          leos: {
            type: 'list',
            items: { type: 'integer', min: 0, max: 1e12, description: 'A log end offset.' },
            maxItems: 100,
            description:
              "Log end offset of each replica, in `replicas` order. The leader's log holds that many records (100-byte values) unless the topic lists `records:`.",
          },
        },
      },
    },
    remote_storage: {
      type: 'boolean',
      default: false,
      description:
        "`remote.storage.enable` (tiered storage, KIP-405): in the sizing, segments older than `local_retention` live once in the object store instead of on every replica's disk.",
    },
    local_retention: duration('`local.retention.ms`: how long a tiered topic keeps segments on the brokers (-2 = its retention).', 'ms', {
      default: -2,
      min: -2,
    }),
    records: {
      type: 'list',
      maxItems: LIMITS.records,
      limit: { what: 'records (each is a row in the report)', bytesEach: LIMITS.recordBytes },
      description: 'Records produced through the exact log model (shows offsets, segment and position, and compaction).',
      items: {
        type: 'object',
        description: 'One record. A missing or null `value` is a tombstone; at most one of `key`, `key_int`, `key_bytes`.',
        fields: {
          key: { type: 'string', description: 'String key (StringSerializer: UTF-8 bytes); omit every key field for a null key.' },
          key_int: {
            type: 'integer',
            min: -2147483648,
            max: LIMITS.int32,
            description: 'Integer key (IntegerSerializer: 4 bytes, big-endian).',
          },
          key_bytes: {
            type: 'string',
            pattern: /^(0x)?([0-9A-Fa-f]{2}){0,1024}$/,
            patternHint: 'should be hex bytes, e.g. `0x00ff10` (at most 1024 bytes)',
            description: 'Raw key bytes in hex (ByteArraySerializer).',
          },
          value: { type: 'string', description: 'Record value; omit for a tombstone.' },
          partition: { type: 'integer', min: 0, description: 'Explicit partition (else murmur2 of the key, or sticky for null keys).' },
          timestamp: duration(
            'CreateTime of the record, from the start of the run (negative: before it, e.g. `-8 d` for a record retention will delete).',
            's',
            { default: 0, min: -1e9 },
          ),
        },
      },
    },
  },
};

const producer: ObjectField = {
  type: 'object',
  description: 'A producer writing to one topic at a steady rate.',
  fields: {
    name: { type: 'string', required: true, description: 'Producer name (`client.id`).' },
    topic: { type: 'string', required: true, description: 'Topic it writes to.' },
    rate: rate('Records per second.', { required: true }),
    record_size: size('Value bytes per record.', { default: 100, max: 1 << 30 }),
    keys: {
      type: 'integer',
      min: 0,
      default: 1000,
      max: LIMITS.keys,
      limit: { what: 'distinct keys per producer (each key is hashed at setup)' },
      description: 'Distinct keys (`key-0`, `key-1`, … in rotation); 0 = null keys, sticky partitioning (KIP-794).',
    },
    acks: {
      type: 'enum',
      values: ['0', '1', 'all', '-1'],
      default: 'all',
      description: '`acks`: 0 = fire and forget, 1 = leader append, all (-1) = every in-sync replica.',
      valueDocs: {
        '0': 'No acknowledgement; offset -1.',
        '1': 'Acknowledged after the leader writes; lost if the leader dies before followers copy it.',
        all: 'Waits for the current ISR (and min.insync.replicas). Default since 3.0.',
        '-1': 'Same as all.',
      },
    },
    idempotence: {
      type: 'boolean',
      description: '`enable.idempotence`. Default: on with acks=all (3.0+), off otherwise. Prevents duplicates from retries.',
    },
    batch_size: size('`batch.size` per partition.', { default: 16384, min: 1, max: 1 << 30 }),
    linger: duration('`linger.ms`: wait this long to fill a batch. Default 0, and 5 ms from kafka_version 4.0 (KIP-1030).', 'ms'),
    max_in_flight: { type: 'integer', min: 1, default: 5, description: '`max.in.flight.requests.per.connection`.' },
    request_timeout: duration('`request.timeout.ms`.', 'ms', { default: 30000 }),
    delivery_timeout: duration('`delivery.timeout.ms`: give up on a record after this long.', 'ms', { default: 120000 }),
    retry_backoff: duration('`retry.backoff.ms`.', 'ms', { default: 100 }),
    partitioner: {
      type: 'enum',
      values: ['adaptive', 'uniform'],
      default: 'adaptive',
      description:
        'Null-key switching: adaptive (default, weighted by queue sizes) or uniform (`partitioner.adaptive.partitioning.enable=false`).',
    },
    rack: {
      type: 'string',
      description: 'Zone the producer runs in (default: spread evenly over the racks), for cross-zone traffic; a zone failure stops it.',
    },
    transactional: {
      type: 'boolean',
      default: false,
      description:
        'Set `transactional.id`: records go in transactions, each committed (or aborted) with a marker in every partition it wrote to. Needs acks=all and idempotence.',
    },
    transaction_interval: duration(
      "How often a transactional producer commits (Kafka Streams' `commit.interval.ms` is 100 ms with exactly-once).",
      'ms',
      { default: 100, exclusiveMin: true },
    ),
    abort_rate: {
      type: 'number',
      min: 0,
      max: 1,
      default: 0,
      description: 'Share of transactions the producer aborts (0.1 = one in ten, drawn from the seed).',
    },
    transaction_timeout: duration('`transaction.timeout.ms`: a commit still waiting for its records after this aborts.', 'ms', {
      default: 60000,
      exclusiveMin: true,
    }),
  },
};

const group: ObjectField = {
  type: 'object',
  description: "A consumer group: the classic protocol or KIP-848's consumer protocol.",
  fields: {
    name: { type: 'string', required: true, description: '`group.id`.' },
    topics: {
      type: 'list',
      items: { type: 'string', description: 'Topic name.' },
      minItems: 1,
      maxItems: LIMITS.topics,
      required: true,
      description: 'Subscribed topics.',
    },
    protocol: {
      type: 'enum',
      values: ['classic', 'consumer'],
      default: 'classic',
      description:
        "`group.protocol` (the client default is classic in 4.0): `consumer` is KIP-848's protocol (kafka_version 4.0), with server-side assignors, heartbeats and incremental reconciliation.",
      valueDocs: {
        classic: 'Join/sync rounds; the assignor runs in the group leader (a client).',
        consumer:
          'KIP-848: the coordinator assigns (uniform or range); members reconcile one by one at their heartbeats, with no global barrier.',
      },
    },
    assignor: {
      type: 'enum',
      values: [...ASSIGNOR_NAMES, ...SERVER_ASSIGNOR_NAMES.filter((n) => n !== 'range')],
      description:
        'Classic: `partition.assignment.strategy` (default range, the head of the 3.x/4.x default list). Consumer protocol: `group.remote.assignor`, uniform (the default) or range.',
      valueDocs: {
        range: "Contiguous ranges per topic; first members take the extras (classic, and the consumer protocol's server-side range).",
        roundrobin: 'All partitions dealt round-robin (classic).',
        sticky: 'Balanced and sticky, eager: everyone revokes everything (classic).',
        'cooperative-sticky': 'Balanced and sticky, cooperative: moved partitions take a second rebalance (classic).',
        uniform: 'Consumer protocol: balanced and sticky, server-side (UniformAssignor).',
      },
    },
    consumers: {
      type: 'integer',
      min: 0,
      default: 1,
      max: LIMITS.consumers,
      limit: { what: 'members per group (each rebalance assigns every one of them)' },
      description: 'Members at start (or list them in `members`).',
    },
    members: {
      type: 'list',
      maxItems: LIMITS.consumers,
      limit: { what: 'members per group (each rebalance assigns every one of them)' },
      description:
        'The members at start, each with its own id, subscription, static instance id and owned partitions (instead of `consumers`).',
      items: {
        type: 'object',
        description: 'One member, as the assignors see it.',
        fields: {
          id: {
            type: 'string',
            pattern: /^[^\s]{1,255}$/,
            patternHint: 'should be 1 to 255 characters without spaces',
            description: '`member.id` (default `<group>-consumer-<n>`); assignors order members by it.',
          },
          instance_id: {
            type: 'string',
            pattern: /^[A-Za-z0-9._-]{1,249}$/,
            patternHint: 'may use letters, digits, `.`, `_` and `-`',
            description:
              '`group.instance.id`: a static member (sorted first; keeps its partitions across restarts within the session timeout).',
          },
          topics: {
            type: 'list',
            items: { type: 'string', description: 'Topic name.' },
            maxItems: LIMITS.topics,
            description: "Its subscription (default: the group's `topics`).",
          },
          owns: {
            type: 'list',
            items: { type: 'string', description: 'A partition, `<topic>-<partition>`.' },
            maxItems: LIMITS.partitions,
            limit: { what: 'owned partitions per member' },
            description: 'Partitions it owns when the run starts (`t-0`), the previous assignment the first rebalance starts from.',
          },
          generation: {
            type: 'integer',
            min: -1,
            max: LIMITS.int32,
            description:
              'Classic: the generation its owned partitions come from (default: the previous one); the sticky assignors prefer the highest.',
          },
          rack: { type: 'string', description: '`client.rack` (default: the racks in turn).' },
        },
      },
    },
    static: {
      type: 'boolean',
      default: false,
      description:
        'Give members a `group.instance.id` (static membership: sorted first, no rebalance on restart within the session timeout).',
    },
    rate: rate('Records per second one consumer processes; 0 = keeps up with anything.', { default: 0 }),
    auto_offset_reset: {
      type: 'enum',
      values: ['latest', 'earliest'],
      default: 'latest',
      description: '`auto.offset.reset` when there is no committed offset.',
    },
    committed: {
      type: 'map',
      keyHint: '<topic>-<partition>',
      values: { type: 'integer', min: 0, max: 1e12, description: 'The committed offset.' },
      maxEntries: LIMITS.partitions,
      limit: { what: 'committed offsets (one per partition)' },
      description: 'Offsets the group has committed when the run starts, by partition (`t-0: 1200`): where members start reading.',
    },
    isolation_level: {
      type: 'enum',
      values: ['read_uncommitted', 'read_committed'],
      default: 'read_uncommitted',
      description: '`isolation.level`: read_committed reads up to the last stable offset (LSO) and skips records of aborted transactions.',
    },
    auto_commit_interval: duration('`auto.commit.interval.ms`.', 'ms', { default: 5000 }),
    session_timeout: duration(
      '`session.timeout.ms` (classic) or `group.consumer.session.timeout.ms` (consumer protocol): a dead member is noticed after this.',
      'ms',
      { default: 45000 },
    ),
    heartbeat_interval: duration(
      "How often a member heartbeats: `heartbeat.interval.ms` for classic members (default 3 s; a dead member's session expires session_timeout after its last heartbeat), `group.consumer.heartbeat.interval.ms` for consumer-protocol members (default 5 s; they also learn of a new assignment at their next heartbeat).",
      'ms',
      { exclusiveMin: true },
    ),
    max_poll_interval: duration('`max.poll.interval.ms`: a member that does not poll for this long leaves.', 'ms', { default: 300000 }),
    rebalance_time: duration('Time one join/sync round takes in the model.', 'ms', { default: 1000 }),
    poll_interval: duration('How often members poll in the model.', 'ms', { default: 100, exclusiveMin: true }),
  },
};

const event: ObjectField = {
  type: 'object',
  description: 'One timeline event: `at` plus exactly one action.',
  fields: {
    at: duration('When it happens (simulated time).', 's', { required: true }),
    kill_broker: { type: 'integer', min: 1, description: 'Crash this broker (fenced after the broker session timeout).' },
    restart_broker: { type: 'integer', min: 1, description: 'Bring this broker back; it truncates, catches up and rejoins the ISR.' },
    add_consumer: { type: 'string', description: 'Group a new member joins.' },
    remove_consumer: {
      type: 'string',
      description: 'Group a member leaves gracefully (commits; static members wait for the session timeout).',
    },
    kill_consumer: { type: 'string', description: 'Group a member dies in (no commit; noticed after session timeout).' },
    pause_consumer: { type: 'string', description: 'Group a member pauses in (keeps heartbeating).' },
    resume_consumer: { type: 'string', description: 'Group whose paused members resume.' },
    reassign: {
      type: 'string',
      description:
        'A partition (`<topic>-<partition>`) whose replicas become `replicas:` (kafka-reassign-partitions): the new ones copy the log, join the ISR, then the old ones leave.',
    },
    replicas: {
      type: 'list',
      items: { type: 'integer', min: 1, description: 'A broker id.' },
      maxItems: 100,
      description: "For `reassign`: the partition's new replicas (the first is its preferred leader).",
    },
    elect_preferred: {
      type: 'string',
      description: 'A preferred leader election (kafka-leader-election --election-type PREFERRED) for a topic, or `all`.',
    },
    kill_producer: {
      type: 'string',
      description:
        'A producer dies: it sends nothing more; a transaction it left open holds the last stable offset until transaction.timeout.ms aborts it.',
    },
    restart_producer: {
      type: 'string',
      description: 'A killed producer starts again; a transaction it left open is aborted (initTransactions fences the old epoch).',
    },
    kill_zone: { type: 'string', description: 'A rack (zone) fails: its brokers stop, its consumers die, its producers stop.' },
    restart_zone: {
      type: 'string',
      description: 'A failed zone comes back: its brokers restart, its producers resume (its consumers stay dead: restart them).',
    },
    restart_consumer: {
      type: 'string',
      description:
        'Group in which a stopped member starts again (`member:` names it): a static member within its session takes its partitions back without a rebalance.',
    },
    member: {
      type: 'string',
      description: "Member id or instance id (default: the newest live member; for `add_consumer`, the new member's id).",
    },
    for: duration('How long a pause lasts.', 's'),
  },
};

export const TIMELINE_ACTIONS = [
  'kill_broker',
  'restart_broker',
  'add_consumer',
  'remove_consumer',
  'kill_consumer',
  'pause_consumer',
  'resume_consumer',
  'restart_consumer',
  'kill_zone',
  'restart_zone',
  'kill_producer',
  'restart_producer',
  'elect_preferred',
  'reassign',
] as const;

export const kafkaSchema: ObjectField = {
  type: 'object',
  description: 'A Kafka model cell.',
  fields: {
    name: {
      type: 'string',
      description:
        'Publishes what the model measures under this name, for later cells: `clicks.produce_throughput`, `clicks.max_lag`, `clicks.acked_lost` (requirement checks, costs).',
      pattern: MODEL_NAME,
      patternHint: MODEL_NAME_HINT,
    },
    sweep: sweepField,
    solve: solveField,
    kafka_version: {
      type: 'enum',
      values: ['3.6', '3.7', '3.8', '3.9', '4.0'],
      default: '3.9',
      description:
        'Semantics to follow. 3.7+ freezes the high watermark under min ISR (KAFKA-15583); 4.0 makes linger.ms 5 ms by default and offers the consumer group protocol (KIP-848).',
    },
    seed: { type: 'integer', description: 'Cell seed, combined with the notebook seed.' },
    duration: duration('Simulated time to run.', 's', { default: 60, exclusiveMin: true }),
    sample_interval: duration('Spacing of lag/throughput samples (default duration / 60).', 's', { exclusiveMin: true }),
    cluster: {
      type: 'object',
      implicit: true,
      description: 'Brokers and cluster-wide settings.',
      fields: {
        brokers: { type: 'integer', min: 1, max: 1000, default: 3, description: 'Number of brokers (ids 1..N).' },
        replica_fetch_interval: duration('Follower fetch round trip: the high watermark trails by about one.', 'ms', {
          default: 1,
          exclusiveMin: true,
        }),
        broker_session_timeout: duration('`broker.session.timeout.ms`: a crashed broker is fenced after this.', 'ms', { default: 9000 }),
        replica_lag_time_max: duration('`replica.lag.time.max.ms`: a follower this far behind leaves the ISR.', 'ms', { default: 30000 }),
        unclean_leader_election: {
          type: 'boolean',
          default: false,
          description:
            '`unclean.leader.election.enable` (false since 0.11): elect an out-of-sync replica rather than stay offline, losing data.',
        },
        network_rtt: duration('Produce round trip; with linger 0 a batch collects what arrives in rtt / max.in.flight.', 'ms', {
          default: 1,
        }),
        racks: {
          type: 'list',
          items: {
            type: 'string',
            description: 'A rack (availability zone) name.',
            pattern: /^[A-Za-z0-9._-]{1,64}$/,
            patternHint: 'may use letters, digits, `.`, `_` and `-`',
          },
          maxItems: 1000,
          default: [],
          description:
            '`broker.rack` of the brokers: broker b is in the ((b − 1) mod n)-th entry (a name may repeat: `[az1, az1, az2, az2]`). With racks, replicas are placed rack-aware and the report counts cross-zone traffic.',
        },
        auto_leader_rebalance: {
          type: 'boolean',
          default: true,
          description:
            "`auto.leader.rebalance.enable`: the controller moves leadership back to each partition's preferred replica (the first) once it is in sync, `leader_imbalance_check_interval` after leaders left them.",
        },
        reassignment_throttle: {
          type: 'number',
          dimension: 'datarate',
          unit: 'B/s',
          min: 0,
          max: LIMITS.bytes,
          default: 0,
          description:
            'Replication throttle for reassignments (`leader.replication.throttled.rate`): a new replica copies the log at this rate; 0 = unthrottled (it catches up at its first fetch).',
        },
        leader_imbalance_check_interval: duration('`leader.imbalance.check.interval.seconds`.', 's', { default: 300, exclusiveMin: true }),
        rack_aware_placement: {
          type: 'boolean',
          default: true,
          description:
            'With racks, place replicas rack-aware (AdminUtils, the default with broker.rack set); false places them as without racks (`--disable-rack-aware`).',
        },
        replica_selector: {
          type: 'enum',
          values: ['leader', 'rack-aware'],
          default: 'leader',
          description:
            '`replica.selector.class`: `rack-aware` (RackAwareReplicaSelector, KIP-392) lets a consumer with a rack read from an in-sync replica in its rack.',
        },
        cross_zone_price: {
          type: 'number',
          min: 0,
          max: 1e6,
          description:
            'Price (in `currency`) of one GB crossing zones (e.g. 0.01 for AWS inter-AZ transfer, charged each way), for the cost line.',
        },
        currency: { type: 'enum', values: ['USD', 'EUR', 'GBP'], default: 'USD', description: 'Currency of `cross_zone_price`.' },
      },
    },
    topics: { type: 'list', items: topic, minItems: 1, maxItems: LIMITS.topics, required: true, description: 'Topics.' },
    producers: { type: 'list', items: producer, maxItems: LIMITS.producers, description: 'Producers.', default: [] },
    consumer_groups: { type: 'list', items: group, maxItems: LIMITS.groups, description: 'Consumer groups.', default: [] },
    timeline: { type: 'list', items: event, maxItems: LIMITS.timeline, description: 'Events during the run.', default: [] },
    inspect: {
      type: 'list',
      description: 'Offsets to locate after the run: segment, index entry, position.',
      default: [],
      maxItems: LIMITS.inspect,
      items: {
        type: 'object',
        description: 'An offset to locate.',
        fields: {
          topic: { type: 'string', required: true, description: 'Topic.' },
          partition: { type: 'integer', min: 0, default: 0, description: 'Partition.' },
          offset: { type: 'integer', min: 0, required: true, description: 'Offset.' },
        },
      },
    },
    sizing: {
      type: 'object',
      description: 'Hardware for the sizing table (uses the producers, topics and groups above).',
      fields: {
        disk_throughput: {
          type: 'number',
          dimension: 'datarate',
          unit: 'MB/s',
          min: 0,
          exclusiveMin: true,
          max: LIMITS.bytes,
          default: 600,
          description: 'Sequential disk throughput per broker (the design doc quotes ~600 MB/s).',
        },
        disk_capacity: size('Disk capacity per broker (0 = not checked).', { default: 0 }),
        nic_gbps: {
          type: 'number',
          min: 0,
          exclusiveMin: true,
          max: 1e6,
          default: 10,
          description: 'NIC bandwidth per broker in Gbit/s (full duplex).',
        },
        cores: { type: 'integer', min: 1, max: 1e6, default: 8, description: 'CPU cores per broker.' },
        tls: {
          type: 'boolean',
          default: false,
          description: 'TLS on client and replication traffic: no zero copy (sendfile), encryption costs CPU.',
        },
        target_utilization: {
          type: 'number',
          min: 0,
          max: 1,
          exclusiveMin: true,
          default: 0.7,
          description: 'Keep each resource under this fraction (0.7 = 70%).',
        },
        cold_read_fraction: {
          type: 'number',
          min: 0,
          max: 1,
          default: 0,
          description: 'Share of consumer reads that miss the page cache (lagging consumers).',
        },
        brokers: { type: 'integer', min: 0, max: 1e6, default: 0, description: 'Brokers to evaluate; 0 = the cluster above.' },
      },
    },
  },
};
