// A gate: the role, ownership and stage checks an Update validator makes before it looks at
// the input, as a pure function of the case's state. The validator throws what a gate returns;
// a service asks the same gates "what may this caller do now" (each action open to the caller
// is one whose gate returns nothing). Pure: no workflow APIs, so services import it too.

/** Why an action is refused: a REJECTION key (domain/src/rejections.ts) and the message. */
export interface Refusal {
  type: 'conflict' | 'forbidden' | 'invalid' | 'alreadyRated' | 'alreadyVoted';
  message: string;
}

export const refusal = {
  conflict: (message: string): Refusal => ({ type: 'conflict', message }),
  forbidden: (message: string): Refusal => ({ type: 'forbidden', message }),
  invalid: (message: string): Refusal => ({ type: 'invalid', message }),
  alreadyRated: (message: string): Refusal => ({ type: 'alreadyRated', message }),
  alreadyVoted: (message: string): Refusal => ({ type: 'alreadyVoted', message }),
};

/** The caller as the validators see it (the workflows' Actor). */
export interface GateActor {
  role: string;
  sub: string;
  unit?: string;
}

export const isStaffActor = (by: GateActor | undefined) => !!by && (by.role === 'staff' || by.role === 'operator');

/** The first refusal of a list of checks, each run only if the ones before passed. */
export function firstRefusal(...checks: (() => Refusal | undefined)[]): Refusal | undefined {
  for (const check of checks) {
    const r = check();
    if (r) return r;
  }
  return undefined;
}

/** A check over each element of a list, run (in order, lazily) when its turn in firstRefusal comes. */
export function eachRefusal<T>(
  items: Iterable<T> | undefined,
  check: (item: T, index: number) => Refusal | undefined,
): () => Refusal | undefined {
  return () => {
    let i = 0;
    for (const item of items ?? []) {
      const r = check(item, i++);
      if (r) return r;
    }
    return undefined;
  };
}
