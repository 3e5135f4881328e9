// Stands in for Node's `events` (and `events-universal`, which re-exports it) in browser bundles.
// Its callers here — streamx, simple-peer, simple-websocket, bittorrent-tracker's client, and our
// engine on their objects — use on/once/emit/removeListener/removeAllListeners and streamx's
// 'newListener' hook; that is exactly what is kept, with Node's semantics for each (an 'error'
// nobody listens to throws; emit works on a copy, so listeners added or removed meanwhile wait
// for the next emit; once-listeners can be removed by the function that was passed).

// `any[]`, as in Node's own typings: a listener taking (name: string) must be assignable here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = ((...args: any[]) => void) & { listener?: Listener };

function checkListener(listener: unknown): asserts listener is Listener {
  if (typeof listener !== 'function') throw new TypeError(`The "listener" argument must be a function, got ${typeof listener}`);
}

export class EventEmitter {
  #listeners = new Map<string | symbol, Listener[]>();

  on(name: string | symbol, listener: Listener): this {
    checkListener(listener);
    if (this.#listeners.has('newListener')) this.emit('newListener', name, listener.listener ?? listener);
    const list = this.#listeners.get(name);
    if (list) list.push(listener);
    else this.#listeners.set(name, [listener]);
    return this;
  }

  addListener(name: string | symbol, listener: Listener): this {
    return this.on(name, listener);
  }

  once(name: string | symbol, listener: Listener): this {
    checkListener(listener);
    let fired = false;
    const wrapper: Listener = (...args) => {
      if (fired) return;
      fired = true;
      this.removeListener(name, wrapper);
      listener.apply(this, args);
    };
    wrapper.listener = listener;
    return this.on(name, wrapper);
  }

  removeListener(name: string | symbol, listener: Listener): this {
    const list = this.#listeners.get(name);
    if (!list) return this;
    // Like Node: the most recently added match goes, so on(f) twice then off(f) leaves one.
    for (let i = list.length - 1; i >= 0; i--) {
      const candidate = list[i];
      if (candidate !== listener && candidate?.listener !== listener) continue;
      list.splice(i, 1);
      if (list.length === 0) this.#listeners.delete(name);
      break;
    }
    return this;
  }

  off(name: string | symbol, listener: Listener): this {
    return this.removeListener(name, listener);
  }

  removeAllListeners(name?: string | symbol): this {
    if (name === undefined) this.#listeners.clear();
    else this.#listeners.delete(name);
    return this;
  }

  emit(name: string | symbol, ...args: unknown[]): boolean {
    const list = this.#listeners.get(name);
    if (!list) {
      if (name !== 'error') return false;
      const [error] = args;
      throw error instanceof Error ? error : new Error(`Unhandled 'error' event (${String(error)})`);
    }
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }
}

export default EventEmitter;
