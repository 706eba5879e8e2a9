import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyBytes, murmur2, partitionForKey, toPositive } from '../../../src/kernels/kafka/murmur2';

// UtilsTest.testMurmur2 (apache/kafka clients)
const vectors: [string | Uint8Array, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  [new Uint8Array([0x61, 0x62, 0x63]), 479470107],
];

for (const [input, expected] of vectors) {
  test(`murmur2(${typeof input === 'string' ? JSON.stringify(input) : '{a,b,c}'}) = ${expected}`, () => {
    assert.equal(murmur2(keyBytes(input)), expected);
  });
}

test('toPositive masks the sign bit instead of taking the absolute value', () => {
  assert.equal(toPositive(-973932308), -973932308 & 0x7fffffff);
  assert.notEqual(toPositive(-973932308), Math.abs(-973932308));
  assert.equal(toPositive(-2147483648), 0);
});

// KTableKTableForeignKeyInnerJoinMultiIntegrationTest comment, 3 partitions
const keyToPartition: [string, number][] = [
  ['0', 2],
  ['1', 0],
  ['2', 2],
  ['3', 2],
  ['4', 1],
  ['5', 0],
  ['6', 1],
  ['7', 0],
  ['8', 0],
  ['9', 2],
];
for (const [key, p] of keyToPartition) {
  test(`key "${key}" -> partition ${p} of 3`, () => assert.equal(partitionForKey(key, 3), p));
}

test('integer keys hash their 4 big-endian bytes', () => {
  assert.deepEqual([...keyBytes(1)], [0, 0, 0, 1]);
  assert.deepEqual([...keyBytes(-1)], [255, 255, 255, 255]);
  assert.equal(partitionForKey(1, 7), toPositive(murmur2(new Uint8Array([0, 0, 0, 1]))) % 7);
});

test('an empty key is hashed, not treated as null', () => {
  assert.equal(partitionForKey('', 1000), toPositive(murmur2(new Uint8Array(0))) % 1000);
});
