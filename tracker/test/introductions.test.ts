import { describe, expect, it } from 'vitest';
import { INTRODUCTION_MEMORY_MS } from '../src/swarm/introductions.js';
import { Registry, type Member } from '../src/swarm/registry.js';
import { fakeClient } from './fake-outbox.js';

function swarmOf(size: number): { registry: Registry; members: Member[] } {
  const registry = new Registry(100, 60_000);
  const members: Member[] = [];
  for (let i = 0; i < size; i++) {
    const swarm = registry.swarms.get('swarm');
    members.push(registry.join(swarm, 'swarm', `peer-${i}`, fakeClient(), 0));
  }
  return { registry, members };
}

describe('introductions', () => {
  it('a member announcing again is introduced to peers it has not met yet, until it has met them all', () => {
    const { registry, members } = swarmOf(8);
    const [self] = members;
    const met = new Set<string>();
    for (let round = 0; round < 3; round++) {
      for (const m of registry.pick(self!.swarm, 2, self!, 1000 + round)) {
        expect(met.has(m.peerId), `${m.peerId} introduced twice`).toBe(false);
        met.add(m.peerId);
      }
    }
    // One left to meet: the fourth announce reaches it (and, with nobody new left, one met before).
    const last = registry.pick(self!.swarm, 2, self!, 1003).map((m) => m.peerId);
    expect(last.filter((id) => !met.has(id))).toHaveLength(1);
  });

  it('counts an introduction for both sides, and forgets it after a while (a failed connection gets another chance)', () => {
    const { registry, members } = swarmOf(3);
    const [a, b, c] = members;
    const first = registry.pick(a!.swarm, 1, a!, 0)[0]!;
    const second = registry.pick(a!.swarm, 1, a!, 10)[0]!;
    expect(new Set([first.peerId, second.peerId])).toEqual(new Set([b!.peerId, c!.peerId]));
    // The first one met a through a's offer: its own announce goes to the member it has not met.
    const other = first === b ? c! : b!;
    expect(registry.pick(first.swarm, 1, first, 20)[0]).toBe(other);
    const later = 20 + INTRODUCTION_MEMORY_MS;
    const again = new Set(
      Array.from({ length: 20 }, (_, i) => registry.pick(a!.swarm, 1, a!, later + INTRODUCTION_MEMORY_MS * i)[0]!.peerId),
    );
    expect(again).toEqual(new Set([b!.peerId, c!.peerId]));
  });

  it('offers reach the peers a member says it holds (held_peers) last, after those it met recently', () => {
    const { registry, members } = swarmOf(8);
    const self = members[0]!;
    // Everyone was introduced a moment ago (the joins); self holds connections to six of them.
    registry.introduce(self, members.slice(1), 0);
    self.introduced.setHeld(members.slice(1, 7).map((m) => m.peerId));
    for (let i = 0; i < 20; i++) expect(registry.pick(self.swarm, 1, self, 100 + i)[0]).toBe(members[7]);
    // In a large swarm the random draws skip held peers the same way.
    const large = swarmOf(200);
    const me = large.members[0]!;
    const held = large.members.slice(1, 13);
    me.introduced.setHeld(held.map((m) => m.peerId));
    for (let round = 0; round < 10; round++) {
      for (const m of large.registry.pick(me.swarm, 5, me, round)) expect(held).not.toContain(m);
    }
  });

  it('in a large swarm, repeated announces reach new peers each time', () => {
    const { registry, members } = swarmOf(1000);
    const self = members[0]!;
    const met = new Set<string>();
    for (let round = 0; round < 10; round++) for (const m of registry.pick(self.swarm, 5, self, round)) met.add(m.peerId);
    expect(met.size).toBe(50);
  });
});
