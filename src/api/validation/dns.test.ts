import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain, nameIsDNSLabel } from './dns.js';

describe('DNS names', () => {
  test('RFC 1123 subdomains', () => {
    for (const ok of ['a', 'example.com', 'a-b.c-d', '0', 'a'.repeat(253)]) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
    assert.deepEqual(isDNS1123Subdomain('Example.com'), [
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    for (const bad of ['', '-a', 'a-', 'a..b', 'a_b', '.a']) assert.equal(isDNS1123Subdomain(bad).length, 1, bad);
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  });

  test('RFC 1123 labels; a dotted name is told it has dots', () => {
    assert.deepEqual(isDNS1123Label('my-name'), []);
    assert.deepEqual(isDNS1123Label('123-abc'), []);
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('A'), [
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });

  test('RFC 1035 labels must start with a letter', () => {
    assert.deepEqual(isDNS1035Label('web-1'), []);
    assert.deepEqual(isDNS1035Label('1web'), [
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  test('a generateName may end with a dash', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
    assert.deepEqual(nameIsDNSLabel('x-', true), []);
  });
});
