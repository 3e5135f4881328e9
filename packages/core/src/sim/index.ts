// Fakes of the engine's I/O: used by unit tests and by simulations of large swarms.
export { FakeClock } from './fake-clock.js';
export { FakeOrigin, FakeSwarm, FakeTransport } from './fake-network.js';
export { DirectTransport } from './direct-transport.js';
