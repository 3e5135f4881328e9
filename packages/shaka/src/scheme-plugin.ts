import type { ShakaLib, ShakaRequest, ShakaSchemePlugin } from './shaka-api.js';

/**
 * Shaka's scheme plugins are global (one per URL scheme for the whole page) and never see which
 * player asked, nor the request's context (segment reference, init or media). Each Shoal's
 * request filter, which sees both, routes the request object it was given to itself here; the
 * plugin answers routed requests through that Shoal and hands everything else (manifests,
 * playlists, licences, init segments, other pages' players) to Shaka's own HTTP plugin.
 */
export type Route = (...args: Parameters<ShakaSchemePlugin>) => ReturnType<ShakaSchemePlugin> | undefined;

const routes = new WeakMap<ShakaRequest, Route>();
const registered = new WeakSet<object>();

export function routeRequest(request: ShakaRequest, route: Route): void {
  routes.set(request, route);
}

/** Registers Shoal's plugin for http and https with Shaka (once per Shaka library on the page). */
export function registerShoalScheme(lib: ShakaLib): void {
  const engine = lib.net.NetworkingEngine;
  if (registered.has(engine)) return;
  registered.add(engine);
  const http = lib.net.HttpFetchPlugin.isSupported() ? lib.net.HttpFetchPlugin.parse : lib.net.HttpXHRPlugin.parse;
  const plugin: ShakaSchemePlugin = (...args) => {
    const route = routes.get(args[1]);
    return route?.(...args) ?? http(...args);
  };
  // progressSupport: on, so Shaka's connection and stall timeouts keep working for the requests passed on to its plugin.
  for (const scheme of ['http', 'https']) engine.registerScheme(scheme, plugin, engine.PluginPriority.APPLICATION, true);
}
