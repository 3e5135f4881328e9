/**
 * Offers relayed and not yet answered, as one member sees them, each with an expiry and who may
 * receive the answer. Bounded: beyond `max` entries the oldest is forgotten first. An answer is
 * relayed only if it matches an entry, and it uses the entry up.
 */
export class OfferBook<T> {
  private readonly entries = new Map<string, { readonly expires: number; readonly value: T }>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  set(key: string, value: T, expires: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { expires, value });
  }

  /** Removes and returns the entry's value; 'expired' if it was past its time. */
  take(key: string, now: number): T | 'expired' | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    return e.expires < now ? 'expired' : e.value;
  }

  /** Drops expired entries; returns how many are left. */
  sweep(now: number): number {
    for (const [k, e] of this.entries) if (e.expires < now) this.entries.delete(k);
    return this.entries.size;
  }
}
