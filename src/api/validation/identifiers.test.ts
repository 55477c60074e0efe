import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCIdentifier, isConfigMapKey, isEnvVarName, isValidIP, isValidPercent, isValidPortName, isValidPortNum } from './identifiers.js';
import { percentValue, scaledValueFromIntOrPercent, validatePositiveIntOrPercent } from './int_or_string.js';

describe('identifiers', () => {
  test('port numbers', () => {
    assert.deepEqual(isValidPortNum(80), []);
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
    assert.deepEqual(isValidPortNum(65536), ['must be between 1 and 65535, inclusive']);
  });

  test('IANA service names', () => {
    assert.deepEqual(isValidPortName('http'), []);
    assert.deepEqual(isValidPortName('web-80'), []);
    assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
    assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
    assert.deepEqual(isValidPortName('-http'), ['must not begin or end with a hyphen']);
    assert.deepEqual(isValidPortName('HTTP'), [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ]);
    assert.deepEqual(isValidPortName('abcdefghijklmnop'), ['must be no more than 15 characters']);
  });

  test('C identifiers and environment variable names', () => {
    assert.deepEqual(isCIdentifier('MY_VAR'), []);
    assert.equal(isCIdentifier('1A').length, 1);
    assert.deepEqual(isEnvVarName('my.env-name'), []);
    assert.match(isEnvVarName('1x')[0] ?? '', /^a valid environment variable name must consist of/);
    assert.deepEqual(isEnvVarName('..'), ["must not be '..'"]);
  });

  test('ConfigMap keys', () => {
    assert.deepEqual(isConfigMapKey('app.properties'), []);
    assert.match(isConfigMapKey('a/b')[0] ?? '', /^a valid config key must consist of alphanumeric characters, '-', '_' or '.' \(e\.g\. 'key\.name'/);
    assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
  });

  test('percent, int-or-string and IPs', () => {
    assert.deepEqual(isValidPercent('25%'), []);
    assert.equal(isValidPercent('25').length, 1);
    assert.equal(percentValue('25%'), 25);
    assert.equal(scaledValueFromIntOrPercent('25%', 10, true), 3);
    assert.equal(scaledValueFromIntOrPercent('25%', 10, false), 2);
    assert.equal(scaledValueFromIntOrPercent(4, 10, false), 4);
    assert.deepEqual(validatePositiveIntOrPercent(-1, 'spec.x')[0]?.detail, 'must be greater than or equal to 0');
    assert.equal(validatePositiveIntOrPercent('x', 'spec.x').length, 1);
    assert.deepEqual(isValidIP('10.0.0.1'), []);
    assert.deepEqual(isValidIP('fd00::1'), []);
    assert.equal(isValidIP('10.0.0.256').length, 1);
  });
});
