import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConnectionGate } from '../src/adapters/connection-gate.js';

/** A connection as the gate sees it: connects or closes when the test says. */
class Connection extends EventEmitter {
  connected = false;
  destroyed = false;
  connect(): void {
    this.connected = true;
    this.emit('connect');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

/** A gate on a clock the test moves. */
function gate(maxPeers: number, maxConnecting: number) {
  const clock = { ms: 0 };
  return { clock, gate: new ConnectionGate({ maxPeers, maxConnecting, setupGraceMs: 4000, now: () => clock.ms }) };
}

/** Issue #12 item 7 (SDK half): a flood of offers does not become a flood of connections being set up. */
describe('connection gate', () => {
  it('admits at most maxConnecting connections being set up, and again as they connect or fail', () => {
    const { gate: g } = gate(12, 3);
    const flood = Array.from({ length: 119 }, () => new Connection());
    const verdicts = flood.map((c) => g.admit(c));
    expect(verdicts.filter((v) => v === undefined)).toHaveLength(3);
    expect(verdicts.slice(3).every((v) => v === 'too-many-connecting')).toBe(true);
    flood[0]!.connect();
    flood[1]!.destroy(); // gave up (timeout, ICE failure)
    expect(g.counts).toEqual({ connecting: 1, open: 1, evicted: 0, duplicates: 0 });
    expect(g.admit(new Connection())).toBeUndefined();
    expect(g.counts).toEqual({ connecting: 2, open: 1, evicted: 0, duplicates: 0 });
  });

  it('a setup that outlived its grace gives its place to a new offer, so vanished offerers cannot block honest ones', () => {
    const { clock, gate: g } = gate(12, 2);
    const stale = [new Connection(), new Connection()];
    for (const c of stale) g.admit(c);
    clock.ms = 1000;
    expect(g.admit(new Connection())).toBe('too-many-connecting');
    clock.ms = 4000;
    const honest = new Connection();
    expect(g.admit(honest)).toBeUndefined();
    expect(stale.map((c) => c.destroyed)).toEqual([true, false]);
    honest.connect();
    expect(g.counts).toEqual({ connecting: 1, open: 1, evicted: 1, duplicates: 0 });
  });

  it('admits no more than maxPeers open and connecting together, and makes room as they close', () => {
    const { gate: g } = gate(2, 5);
    const [a, b, c] = [new Connection(), new Connection(), new Connection()];
    expect(g.admit(a)).toBeUndefined();
    a.connect();
    expect(g.admit(b)).toBeUndefined();
    b.connect();
    expect(g.admit(c)).toBe('no-room');
    a.destroy();
    a.destroy(); // a second close changes nothing
    expect(g.admit(c)).toBeUndefined();
    expect(g.counts).toEqual({ connecting: 1, open: 1, evicted: 0, duplicates: 0 });
  });

  it('refuses a second connection to a viewer it holds one to, before any ICE or DTLS work', () => {
    const { gate: g } = gate(12, 5);
    const first = new Connection();
    expect(g.admit(first, { id: 'b', preferred: false })).toBeUndefined();
    first.connect();
    // Introduced again by a re-announce: the open one stays, whichever side initiated the new one.
    expect(g.admit(new Connection(), { id: 'b', preferred: true })).toBe('duplicate');
    expect(g.admit(new Connection(), { id: 'b', preferred: false })).toBe('duplicate');
    expect(g.admit(new Connection(), { id: 'c', preferred: false })).toBeUndefined();
    expect(g.counts).toEqual({ connecting: 1, open: 1, evicted: 0, duplicates: 2 });
    first.destroy();
    expect(g.admit(new Connection(), { id: 'b', preferred: false })).toBeUndefined(); // gone: welcome again
  });

  it('of two setups racing to one viewer keeps the preferred one, whichever came first, so both ends agree', () => {
    const { gate: g } = gate(12, 5);
    const theirs = new Connection();
    expect(g.admit(theirs, { id: 'b', preferred: false })).toBeUndefined();
    const ours = new Connection();
    expect(g.admit(ours, { id: 'b', preferred: true })).toBeUndefined();
    expect(theirs.destroyed).toBe(true);
    expect(g.admit(new Connection(), { id: 'b', preferred: false })).toBe('duplicate');
    expect(g.counts).toEqual({ connecting: 1, open: 0, evicted: 0, duplicates: 2 });
    ours.connect();
    expect(g.counts).toEqual({ connecting: 0, open: 1, evicted: 0, duplicates: 2 });
  });
});
