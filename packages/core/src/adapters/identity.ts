/** A fresh 20-byte peer id as hex: "-SH0100-" (Azureus style, client SH v0.1.0) + 12 random bytes. */
export function randomPeerId(): string {
  const prefix = Array.from(new TextEncoder().encode('-SH0100-'), hex).join('');
  const random = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(random, hex).join('');
}

/** The swarm's info_hash: SHA-1 of the swarm key, 40 hex characters. */
export async function swarmInfoHash(swarmKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(`shoal:v1:${swarmKey}`));
  return Array.from(new Uint8Array(digest), hex).join('');
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
