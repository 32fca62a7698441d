// The views a list shows, kept in memory: a list page would otherwise read each of its cases by
// _id after its board. A cached view is used only when it is at least as new as the board's row
// for the case (the row carries the case's version, its event count), so the cache never shows
// a list anything older than the board itself. Filled by the ingest (each view it stores) and by
// the lists; the least recently used go first.
import type { CaseViewDoc } from './models';

export class ViewCache {
  private readonly views = new Map<string, CaseViewDoc>();
  constructor(private readonly capacity: number) {}

  get(id: string): CaseViewDoc | undefined {
    const v = this.views.get(id);
    if (v) {
      this.views.delete(id);
      this.views.set(id, v);
    }
    return v;
  }

  set(view: CaseViewDoc): void {
    const have = this.views.get(view._id);
    if (have && have.eventCount > view.eventCount) return;
    this.views.delete(view._id);
    this.views.set(view._id, view);
    while (this.views.size > this.capacity) this.views.delete(this.views.keys().next().value!);
  }

  get size(): number {
    return this.views.size;
  }
}
