/**
 * Human names for swarms ("stream labels"), as viewers report them. A label is display text only:
 * sanitized here (control and format characters out, whitespace collapsed, at most
 * MAX_LABEL_CHARS), escaped wherever it is shown, and never trusted to identify anything.
 */

export const MAX_LABEL_CHARS = 64;
/** Distinct labels tallied per swarm; later distinct ones are ignored (bounded memory). */
export const MAX_LABEL_CANDIDATES = 4;

// Cc: C0/C1 controls; Cf: format characters (bidi overrides, zero-width joiners) that can make a
// label read as something else; line and paragraph separators.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** The label as shown, or undefined when nothing printable is left. */
export function sanitizeLabel(raw: string): string | undefined {
  const text = raw.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  const chars = [...text];
  return chars.length <= MAX_LABEL_CHARS ? text : chars.slice(0, MAX_LABEL_CHARS - 1).join('') + '…';
}

/**
 * One swarm's label: the one reported by the most viewer sessions (each session votes once, with
 * its first labelled report), among the first MAX_LABEL_CANDIDATES distinct ones; a tie keeps the
 * earlier. Most-reported rather than first-wins so that one member cannot name a stream for all
 * its honest viewers by joining first.
 */
export class LabelTally {
  private readonly votes = new Map<string, number>();

  vote(label: string, count = 1): void {
    const n = this.votes.get(label);
    if (n === undefined && this.votes.size >= MAX_LABEL_CANDIDATES) return;
    this.votes.set(label, (n ?? 0) + count);
  }

  get label(): string | null {
    let best: string | null = null;
    let most = 0;
    for (const [label, n] of this.votes) {
      if (n > most) {
        best = label;
        most = n;
      }
    }
    return best;
  }
}
