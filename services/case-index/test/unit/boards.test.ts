// Boards: which lists a case is in, and how their chunks converge whatever the order, repetition
// or interleaving of the changes.
import {
  FAMILIES,
  applyDeltas,
  chunkOf,
  chunksOf,
  deltasFor,
  emptyChunk,
  membershipOf,
  tallyOf,
  TOMBSTONE_MS,
  type Delta,
} from '../../src/use-cases/boards';
import { decodeCursor, encodeCursor, matches } from '../../src/use-cases/lists';
import { entryOf } from '../../src/use-cases/boards';
import { NEVER, type CaseView } from '../../src/use-cases/view';

function view(over: Partial<CaseView> = {}): CaseView {
  return {
    caseId: 'suggestion-2026-0001',
    kind: 'suggestion',
    jurisdiction: 'cn-zj-demo-city',
    stage: 'assigned',
    title: '关于加强养老服务的建议',
    deputies: ['deputy-001'],
    coHandlers: [],
    units: ['edu-bureau'],
    parts: [],
    key: false,
    sortDue: new Date('2026-06-01T00:00:00Z'),
    dueAt: new Date('2026-06-01T00:00:00Z'),
    overdue: false,
    caseOverdue: false,
    veryOverdue: false,
    commitments: { total: 0, kept: 0, missed: 0 },
    closed: false,
    openedAt: new Date('2026-03-01T00:00:00Z'),
    year: 2026,
    links: [],
    lastEventAt: new Date('2026-03-02T00:00:00Z'),
    eventCount: 2,
    ...over,
  };
}

const staff = { role: 'staff', sub: 'clerk-1' } as const;

describe('board membership', () => {
  it("puts a case in its units', deputies', station's and the open board, and a closed one in its year", () => {
    const open = [...membershipOf(view({ stationId: 'station-riverside' })).values()].sort();
    expect(open).toEqual(['deputy:deputy-001', 'open', 'station:station-riverside', 'unit:edu-bureau']);
    const closed = membershipOf(view({ closed: true, eventCount: 9 }));
    const closedChunk = [...closed.keys()].find((c) => c.startsWith('closed:'))!;
    expect(closedChunk).toMatch(/^closed:2026#\d+$/);
    expect([...closed.values()]).not.toContain('open');
  });

  it('keeps a case in the same chunk of a board in every process (a stable hash)', () => {
    const c = chunkOf('unit:edu-bureau', 'unit', 'suggestion-2026-0001');
    expect(c).toBe(chunkOf('unit:edu-bureau', 'unit', 'suggestion-2026-0001'));
    expect(chunksOf('unit:edu-bureau', 'unit')).toHaveLength(FAMILIES.unit);
    expect(chunksOf('unit:edu-bureau', 'unit')).toContain(c);
    expect(chunksOf('closed', 'closed', [2025, 2026])).toHaveLength(2 * FAMILIES.closed);
  });

  it('leaves the boards a case is no longer in: a reassigned unit and the open board on closing', () => {
    const before = view();
    const former = Object.fromEntries(deltasFor(before, undefined).map((d) => [d.chunk, d.board]));
    const after = view({ units: ['health-commission'], closed: true, stage: 'closed', eventCount: 7 });
    const deltas = deltasFor(after, former);
    const left = deltas
      .filter((d) => !d.entry)
      .map((d) => d.board)
      .sort();
    expect(left).toEqual(['open', 'unit:edu-bureau']);
    expect(
      deltas
        .filter((d) => d.entry)
        .map((d) => d.board)
        .sort(),
    ).toEqual(['closed', 'deputy:deputy-001', 'unit:health-commission']);
    expect(deltas.every((d) => d.v === 7)).toBe(true);
  });
});

describe('applying deltas to a chunk', () => {
  const chunk = 'open#1';
  const row = (v: number, stage: string): Delta => ({
    board: 'open',
    chunk,
    id: 'suggestion-2026-0001',
    v,
    entry: entryOf(view({ eventCount: v, stage })),
  });
  const gone = (v: number): Delta => ({ board: 'open', chunk, id: 'suggestion-2026-0001', v });

  it('keeps the newest row whatever the order, and changes nothing when a delta repeats', () => {
    const a = emptyChunk();
    expect(applyDeltas(a, [row(3, 'replied'), row(2, 'assigned')], 0)).toBe(true);
    expect(a.e['suggestion-2026-0001'].stage).toBe('replied');
    expect(applyDeltas(a, [row(3, 'replied')], 0)).toBe(false);
    const b = emptyChunk();
    applyDeltas(b, [row(2, 'assigned')], 0);
    applyDeltas(b, [row(3, 'replied')], 0);
    expect(b).toEqual(a);
  });

  it('does not bring back a case that left, when an older row arrives late', () => {
    const c = emptyChunk();
    applyDeltas(c, [row(2, 'assigned'), gone(5)], 1000);
    expect(c.e).toEqual({});
    expect(applyDeltas(c, [row(4, 'replied')], 2000)).toBe(false);
    expect(c.e).toEqual({});
    // It may come back with a newer version (a case re-opened into the board).
    applyDeltas(c, [row(6, 'reopened')], 3000);
    expect(c.e['suggestion-2026-0001'].stage).toBe('reopened');
    expect(c.t).toEqual({});
  });

  it('drops tombstones after a day', () => {
    const c = emptyChunk();
    applyDeltas(c, [gone(5)], 0);
    expect(Object.keys(c.t)).toEqual(['suggestion-2026-0001']);
    expect(applyDeltas(c, [], TOMBSTONE_MS + 1)).toBe(true);
    expect(c.t).toEqual({});
  });

  it('counts per jurisdiction, kind and stage, with the overdue', () => {
    const entries = [
      entryOf(view({ caseId: 'a', stage: 'assigned', overdue: true })),
      entryOf(view({ caseId: 'b', stage: 'assigned' })),
      entryOf(view({ caseId: 'c', kind: 'inquiry', stage: 'answered' })),
    ];
    expect(tallyOf(entries)).toEqual({
      'cn-zj-demo-city|suggestion|assigned': [2, 1],
      'cn-zj-demo-city|inquiry|answered': [1, 0],
    });
  });
});

describe('list filters on board entries', () => {
  const now = Date.parse('2026-05-28T00:00:00Z');
  it('applies access, the flags (at risk from the due date and now) and the title search', () => {
    const e = entryOf(view());
    expect(matches(staff, { flagged: 'true' }, now)(e)).toBe(true); // due in 4 days
    expect(matches(staff, { atRisk: 'true' }, Date.parse('2026-05-01T00:00:00Z'))(e)).toBe(false);
    expect(matches(staff, { q: '养老' }, now)(e)).toBe(true);
    expect(matches(staff, { q: '交通' }, now)(e)).toBe(false);
    expect(matches(staff, { q: 'suggestion-2026-0001' }, now)(e)).toBe(true);
    expect(matches({ role: 'unit', sub: 'h', unit: 'edu-bureau' }, {}, now)(e)).toBe(true);
    expect(matches({ role: 'unit', sub: 'h', unit: 'health-commission' }, {}, now)(e)).toBe(false);
    expect(matches({ role: 'deputy', sub: 'deputy-002' }, {}, now)(e)).toBe(false);
    expect(matches({ role: 'citizen', sub: 'citizen-001' }, {}, now)(e)).toBe(false);
    const closed = entryOf(view({ closed: true, sortDue: NEVER }));
    expect(matches(staff, { flagged: 'true' }, now)(closed)).toBe(false);
    expect(matches(staff, { closed: 'true', year: 2026 }, now)(closed)).toBe(true);
  });

  it('gives back a cursor only for the same sort', () => {
    const c = encodeCursor('due', Date.parse('2026-06-01T00:00:00Z'), 'suggestion-2026-0001');
    expect(decodeCursor(c, 'due')).toEqual({ at: Date.parse('2026-06-01T00:00:00Z'), id: 'suggestion-2026-0001' });
    expect(() => decodeCursor(c, 'recent')).toThrow(/cursor/);
    expect(() => decodeCursor('nonsense', 'due')).toThrow(/cursor/);
  });
});
