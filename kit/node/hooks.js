// Module resolution hook registered by ./register.js.
const shim = new URL('./webrtc-polyfill.js', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'webrtc-polyfill') return { url: shim, shortCircuit: true };
  return nextResolve(specifier, context);
}
