/**
 * @shoal/tracker/swarm: the tracker's swarm logic without sockets (who is in a swarm, whom an
 * announce is introduced to), for simulations that run it behind an in-memory transport.
 */
export { Client } from './client.js';
export type { Outbox } from './outbox.js';
export { Registry, Member, Swarm } from './registry.js';
export { LocalMembership } from './membership.js';
export { Introductions, INTRODUCTION_MEMORY_MS, preferUnmet } from './introductions.js';
