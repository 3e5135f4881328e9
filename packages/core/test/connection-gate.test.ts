import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConnectionGate } from '../src/adapters/connection-gate.js';

/** A connection as the gate sees it: connects or closes when the test says. */
class Connection extends EventEmitter {
  connected = false;
  connect(): void {
    this.connected = true;
    this.emit('connect');
  }
  close(): void {
    this.emit('close');
  }
}

/** Issue #12 item 7 (SDK half): a flood of offers does not become a flood of connections being set up. */
describe('connection gate', () => {
  it('admits at most maxConnecting connections being set up, and again as they connect or fail', () => {
    const gate = new ConnectionGate({ maxPeers: 12, maxConnecting: 3 });
    const flood = Array.from({ length: 119 }, () => new Connection());
    const verdicts = flood.map((c) => gate.admit(c));
    expect(verdicts.filter((v) => v === undefined)).toHaveLength(3);
    expect(verdicts.slice(3).every((v) => v === 'too-many-connecting')).toBe(true);
    flood[0]!.connect();
    flood[1]!.close(); // gave up (timeout, ICE failure)
    expect(gate.counts).toEqual({ connecting: 1, open: 1 });
    const honest = new Connection();
    expect(gate.admit(honest)).toBeUndefined();
    expect(gate.counts).toEqual({ connecting: 2, open: 1 });
  });

  it('admits no more than maxPeers open and connecting together, and makes room as they close', () => {
    const gate = new ConnectionGate({ maxPeers: 2, maxConnecting: 5 });
    const [a, b, c] = [new Connection(), new Connection(), new Connection()];
    expect(gate.admit(a)).toBeUndefined();
    a.connect();
    expect(gate.admit(b)).toBeUndefined();
    expect(gate.admit(c)).toBe('no-room');
    a.close();
    a.close(); // a second close changes nothing
    expect(gate.admit(c)).toBeUndefined();
    expect(gate.counts).toEqual({ connecting: 2, open: 0 });
  });
});
