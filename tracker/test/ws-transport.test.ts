// The WebSocket transport: bytes that come with the handshake, and wss://.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binId, isReply, onCleanup, sleep, TestClient, tracker } from './helpers.js';
import { frame, reader } from './raw-client.js';

describe('WebSocket transport', () => {
  it('reads a frame that starts in the handshake packet, and keeps its frame clock in step', async () => {
    const t = await tracker({ messageTimeoutMs: 200, idleTimeoutMs: 1000 });
    const s = connect(t.port, '127.0.0.1');
    onCleanup(() => s.destroy());
    const scrape = frame(0x1, Buffer.from(JSON.stringify({ action: 'scrape', info_hash: binId() })));
    // The handshake and the first 3 bytes of a frame in one write; the rest of the frame after.
    s.write(
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n` +
        scrape.subarray(0, 3).toString('latin1'),
      'latin1',
    );
    let head = Buffer.alloc(0);
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        s.off('data', onData);
        expect(head.subarray(0, 12).toString()).toBe('HTTP/1.1 101');
        if (head.length > end + 4) s.unshift(head.subarray(end + 4));
        resolve();
      };
      s.on('data', onData);
    });
    const next = reader(s);
    s.write(scrape.subarray(3));
    expect((await next())[0]).toBe(0x1);
    // Had the clock missed the 3 bytes, it would now be inside a frame that never ends.
    await sleep(700);
    s.write(scrape);
    expect((await next())[0]).toBe(0x1);
    expect(t.stats().tracker.rejections).toEqual({});
  });

  it('serves wss:// with tlsCert and tlsKey', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', key, '-out', cert],
      { stdio: 'ignore' },
    );
    const t = await tracker({ tlsCert: cert, tlsKey: key, maxMessageBytes: 2048 });
    expect(t.wsUrl.startsWith('wss://')).toBe(true);
    const a = await TestClient.open(t.wsUrl, { rejectUnauthorized: false });
    expect(await a.join(binId(), binId())).toSatisfy(isReply);
    a.send({ action: 'announce', pad: 'x'.repeat(3000) });
    expect((await a.closed).code).toBe(1009);
  });
});
