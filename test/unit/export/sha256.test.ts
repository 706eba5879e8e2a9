import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { base64, sha256 } from '../../../src/export/sha256';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('SHA-256 of the FIPS 180-4 examples', () => {
  assert.equal(hex(sha256('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(hex(sha256('')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(
    hex(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
});

test('SHA-256 and base64 agree with Node on lengths around the block edges and on non-ASCII text', () => {
  for (const n of [1, 54, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const s = 'ä€😀x'.repeat(n).slice(0, n);
    const want = createHash('sha256').update(s, 'utf8').digest();
    assert.equal(hex(sha256(s)), want.toString('hex'), `length ${n}`);
    assert.equal(base64(sha256(s)), want.toString('base64'));
  }
  for (const n of [0, 1, 2, 3, 4, 5]) assert.equal(base64(new Uint8Array(n).fill(250)), Buffer.alloc(n, 250).toString('base64'));
});
