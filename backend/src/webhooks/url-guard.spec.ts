import { addressRefusal, checkWebhookUrl, isBlockedAddress } from './url-guard';

describe('webhook address classifier', () => {
  const refused: [string, string][] = [
    // IPv4
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local / metadata'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.254', 'benchmarking'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.51.100.1', 'TEST-NET-2'],
    ['203.0.113.1', 'TEST-NET-3'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    // IPv6
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with zone'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['ff05::2', 'multicast'],
    ['100::1', 'discard'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['2001:10::1', 'ORCHID'],
    ['5f00::1', 'SRv6'],
    ['4000::1', 'unassigned'],
    // IPv4-mapped
    ['::ffff:127.0.0.1', 'mapped loopback'],
    ['::ffff:7f00:1', 'mapped loopback, hex'],
    ['::ffff:10.0.0.1', 'mapped private'],
    ['::ffff:169.254.169.254', 'mapped metadata'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'mapped private, long form'],
    // IPv4-compatible (deprecated) and IPv4-translated
    ['::127.0.0.1', 'compatible loopback'],
    ['::7f00:1', 'compatible loopback, hex'],
    ['::10.0.0.1', 'compatible private'],
    ['::8.8.8.8', 'compatible (any)'],
    ['::ffff:0:127.0.0.1', 'translated'],
    // 6to4
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:7f00:0001::1', '6to4 of 127.0.0.1'],
    ['2002:a00:1::1', '6to4 of 10.0.0.1'],
    ['2002:c0a8:101::', '6to4 of 192.168.1.1'],
    ['2002:a9fe:a9fe::', '6to4 of 169.254.169.254'],
    ['2002::', '6to4 of 0.0.0.0'],
    // Teredo
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001::1', 'Teredo'],
    ['2001:0:0:0:0:0:80ff:fffe', 'Teredo of 127.0.0.1'],
    // NAT64
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b::127.0.0.1', 'NAT64 of 127.0.0.1, dotted'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['64:ff9b:1:ffff::1', 'local-use NAT64'],
    // not an address at all
    ['example.com', 'a name'],
    ['127.1', 'short form'],
    ['', 'empty'],
  ];
  it.each(refused)('refuses %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
    expect(addressRefusal(address)).toEqual(expect.any(String));
  });

  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '198.20.0.1',
    '11.0.0.1',
    '2606:4700::1111',
    '2606:2800:220:1:248:1893:25c8:1946',
    '2001:4860:4860::8888',
    '2a00:1450:4001::1',
    '::ffff:8.8.8.8', // mapped public
    '2002:808:808::1',
    '2002:0808:0808::', // 6to4 of 8.8.8.8
    '64:ff9b::808:808',
    '64:ff9b::1.1.1.1', // NAT64 of a public address
  ];
  it.each(allowed)('allows %s', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it('names the embedded IPv4 address in the reason', () => {
    expect(addressRefusal('2002:7f00:1::')).toMatch(/6to4 of 127\.0\.0\.1 \(loopback\)/);
    expect(addressRefusal('64:ff9b::a00:1')).toMatch(/NAT64 of 10\.0\.0\.1 \(private\)/);
    expect(addressRefusal('::ffff:127.0.0.1')).toMatch(/IPv4-mapped 127\.0\.0\.1/);
  });
});

describe('checkWebhookUrl with embedded IPv4 forms', () => {
  const noDns = (async () => {
    throw new Error('no DNS in this test');
  }) as never;
  it.each([
    'http://[::127.0.0.1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]:8080/hook',
    'http://[2002:7f00:1::]/',
    'http://[2002:a9fe:a9fe::1]/latest/meta-data',
    'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[64:ff9b:1::1]/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://100.64.1.1/',
    'http://198.18.0.1/',
  ])('refuses %s', async (url) => {
    expect(await checkWebhookUrl(url, [], noDns)).toMatchObject({ ok: false });
  });

  it.each(['http://8.8.8.8/', 'https://[2606:4700::1111]/hook', 'http://[2002:808:808::1]/'])('allows %s', async (url) => {
    expect(await checkWebhookUrl(url, [], noDns)).toMatchObject({ ok: true });
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const dnsOf = (addresses: string[]) => (async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) as never;
    expect(await checkWebhookUrl('https://x.example/', [], dnsOf(['8.8.8.8', '2002:7f00:1::']))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/2002:7f00:1::/),
    });
    expect(await checkWebhookUrl('https://x.example/', [], dnsOf(['8.8.8.8', '2606:4700::1111']))).toMatchObject({ ok: true });
  });
});
