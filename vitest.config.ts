import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const shared = {
  // Workspace packages resolve to their TypeScript sources ("source" export condition), in
  // tests as in the apps, so a test never runs a stale build.
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  resolve: {
    conditions: ['source'],
    // bittorrent-tracker's client imports `webrtc-polyfill`, whose Node build needs a native addon
    // that is never built here; Node-side peers use @roamhq/wrtc instead (see kit/node).
    alias: { 'webrtc-polyfill': createRequire(import.meta.url).resolve('@shoal/test-kit/node/webrtc-polyfill.js') },
  },
};

// Processed by vite (not loaded by Node directly) so the alias above reaches their imports.
// Node peers on native WebRTC: the hostile-peer swarm, and simple-peer on streamx vs our shim.
const NATIVE_E2E = ['bench/test/hostile-peer.e2e.test.ts', 'test/packaging/streamx-shim-peers.e2e.test.ts'];

// simple-websocket is inlined so test/packaging/streamx-shim-websocket.test.ts can swap its imports.
const server = { deps: { inline: ['bittorrent-tracker', '@thaunknown/simple-peer', '@thaunknown/simple-websocket', 'webrtc-polyfill'] } };

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          server,
          include: [
            'packages/*/test/**/*.test.ts',
            'tracker/test/**/*.test.ts',
            'bench/test/**/*.test.ts',
            'kit/test/**/*.test.ts',
            'test/**/*.test.ts',
            'demo/test/**/*.test.ts',
          ],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          server,
          include: ['**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**', ...NATIVE_E2E],
          // Real Chromium pages play video: one file at a time, or CPU contention itself causes stalls.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          // Node peers on native WebRTC (@roamhq/wrtc): run in a vitest process of their own, after
          // the Chromium suites (their test worker crashed inside the full e2e run 2 times in 3).
          name: 'e2e-native',
          server,
          // One file at a time: two processes on native WebRTC at once made the crash above more likely.
          fileParallelism: false,
          include: NATIVE_E2E,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
