import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockedAddressError, createNetworkPolicy, nonPublicRange, parseAllowedHost } from './network-policy.js';

describe('nonPublicRange', () => {
  it('names the range of every non-public address form', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['0.0.0.0', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.10', 'reserved'],
      ['::1', 'loopback'],
      ['[::1]', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'linkLocal'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['ff02::1', 'multicast'],
      ['::ffff:127.0.0.1', 'ipv4Mapped'],
      ['::ffff:7f00:1', 'ipv4Mapped'],
      ['::ffff:169.254.169.254', 'ipv4Mapped'],
      ['::7f00:1', 'ipv4Compatible'],
      ['::a9fe:a9fe', 'ipv4Compatible'],
      ['64:ff9b::a9fe:a9fe', 'rfc6052'],
      ['2002:7f00:1::', '6to4'],
      ['2001:db8::1', 'reserved'],
    ];
    for (const [address, range] of cases) assert.equal(nonPublicRange(address), range, address);
    // Dotted IPv4 tails are read by ipaddr.js as mapped; refused all the same.
    assert.notEqual(nonPublicRange('::127.0.0.1'), undefined);
  });

  it('lets public unicast addresses through', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001::200e']) {
      assert.equal(nonPublicRange(address), undefined, address);
    }
  });

  it('refuses what is not an address at all', () => {
    assert.equal(nonPublicRange('example.com'), 'invalid');
    assert.equal(nonPublicRange(''), 'invalid');
  });
});

describe('parseAllowedHost', () => {
  it('reads host, host:port and bracketed IPv6 with or without a port', () => {
    assert.deepEqual(parseAllowedHost('feeds.home.lan'), { host: 'feeds.home.lan' });
    assert.deepEqual(parseAllowedHost('Feeds.Home.LAN:8080'), { host: 'feeds.home.lan', port: 8080 });
    assert.deepEqual(parseAllowedHost('127.0.0.1:3000'), { host: '127.0.0.1', port: 3000 });
    assert.deepEqual(parseAllowedHost('[::1]:3000'), { host: '::1', port: 3000 });
    assert.deepEqual(parseAllowedHost('[::1]'), { host: '::1' });
    assert.deepEqual(parseAllowedHost('::1'), { host: '::1' });
  });

  it('explains what is wrong with anything else', () => {
    for (const bad of [
      'http://127.0.0.1:3000',
      '127.0.0.1/feed',
      'host:0',
      'host:70000',
      'host:abc',
      '',
      'a b',
      '[::1',
      '[x]:1',
      'user@host',
    ]) {
      const parsed = parseAllowedHost(bad);
      assert.equal(typeof parsed, 'string', bad);
    }
  });
});

describe('createNetworkPolicy', () => {
  it('allows a listed host on any port, or on its listed port only', () => {
    const policy = createNetworkPolicy(['localhost', '127.0.0.1:8080', '[::1]:9000']);
    assert.equal(policy.isAllowedHost('localhost', 1234), true);
    assert.equal(policy.isAllowedHost('LOCALHOST.', 1234), true);
    assert.equal(policy.isAllowedHost('127.0.0.1', 8080), true);
    assert.equal(policy.isAllowedHost('127.0.0.1', 8081), false);
    assert.equal(policy.isAllowedHost('[::1]', 9000), true);
    assert.equal(policy.isAllowedHost('::1', 9001), false);
  });

  it('checks the address connected to, naming host, address and range', () => {
    const policy = createNetworkPolicy(['127.0.0.1:8080']);
    policy.checkAddress('127.0.0.1', 8080, '127.0.0.1');
    policy.checkAddress('feeds.example.com', 443, '93.184.216.34');
    assert.throws(
      () => policy.checkAddress('feeds.example.com', 443, '169.254.169.254'),
      (error: unknown) =>
        error instanceof BlockedAddressError &&
        /feeds\.example\.com \(resolves to 169\.254\.169\.254\) is a link-local address/.test(error.message) &&
        /http\.allowHosts/.test(error.message),
    );
    assert.throws(() => policy.checkAddress('127.0.0.1', 8081, '127.0.0.1'), BlockedAddressError);
  });

  it('refuses a malformed allowHosts entry when built', () => {
    assert.throws(() => createNetworkPolicy(['http://x']), /http\.allowHosts: .*not a URL/);
  });
});
