/** Plain counters bumped on hot paths; metrics and the stats API read them when asked. */
export class Counters {
  announces = 0;
  answers = 0;
  scrapes = 0;
  offersRelayed = 0;
  answersRelayed = 0;
  joins = 0;
  leaves = 0;
  connectionsOpened = 0;
  readonly rejections = new Map<string, number>();

  reject(reason: string): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }
}
