import { sign, verify } from './signature';
import { checkWebhookUrl, isBlockedAddress } from './url-guard';

describe('webhook signatures', () => {
  // The example of the Standard Webhooks specification.
  it('matches the specification example', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const body = '{"test": 2432232314}';
    expect(sign(secret, id, 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(verify(secret, id, 1614265330, body, `v1,bogus ${sign(secret, id, 1614265330, body)}`)).toBe(true);
    expect(verify(secret, id, 1614265331, body, sign(secret, id, 1614265330, body))).toBe(false);
  });
});

describe('webhook URL guard', () => {
  it('refuses loopback, private, link-local and metadata addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isBlockedAddress(a)).toBe(true);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8']) expect(isBlockedAddress(a)).toBe(false);
  });

  it('checks names through DNS and lets allow-listed hosts through', async () => {
    const fakeDns = (async (host: string) =>
      host === 'evil.example' ? [{ address: '10.0.0.5', family: 4 }] : [{ address: '93.184.216.34', family: 4 }]) as never;
    expect(await checkWebhookUrl('https://evil.example/hook', [], fakeDns)).toMatchObject({ ok: false, reason: expect.stringMatching(/private/) });
    expect(await checkWebhookUrl('https://good.example/hook', [], fakeDns)).toMatchObject({ ok: true });
    expect(await checkWebhookUrl('http://localhost:9000/', [], fakeDns)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl('http://[::1]:9000/', [], fakeDns)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl('ftp://good.example/', [], fakeDns)).toMatchObject({ ok: false, reason: 'must use http or https' });
    expect(await checkWebhookUrl('http://user:pw@good.example/', [], fakeDns)).toMatchObject({ ok: false });
    expect(await checkWebhookUrl('http://127.0.0.1:9000/', ['127.0.0.1'], fakeDns)).toMatchObject({ ok: true });
  });
});
