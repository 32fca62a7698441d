// The law's checks on who may start an inquiry or an investigation, as pure functions: the
// oversight service runs them before starting a case (so a refused filing starts nothing), and
// the workflows run them again at their start.

/** An inquiry (质询案) needs at least `min` signers, every one a member of the committee. */
export function inquirySignersProblem(signers: string[], roster: ReadonlySet<string>, min: number): string | undefined {
  const unique = new Set(signers);
  if (unique.size !== signers.length) return 'each member may sign an inquiry only once';
  const outsiders = signers.filter((s) => !roster.has(s));
  if (outsiders.length > 0)
    return `only members of the standing committee may sign an inquiry; not members: ${outsiders.join(', ')}`;
  if (signers.length < min)
    return `an inquiry needs at least ${min} signing members in this jurisdiction; it has ${signers.length}`;
  return undefined;
}

/** Members needed to propose an investigation (特定问题调查) without the chair council. */
export function minProposers(memberCount: number, minProposerPercent: number): number {
  return Math.max(1, Math.ceil((memberCount * minProposerPercent) / 100 - 1e-9));
}

export function investigationProposersProblem(
  proposedBy: 'chairCouncil' | 'members',
  proposers: string[],
  roster: ReadonlySet<string>,
  minProposerPercent: number,
): string | undefined {
  if (proposedBy === 'chairCouncil') return undefined;
  const unique = new Set(proposers);
  if (unique.size !== proposers.length) return 'each member may appear only once among the proposers';
  const outsiders = proposers.filter((s) => !roster.has(s));
  if (outsiders.length > 0)
    return `only members of the standing committee may propose an investigation; not members: ${outsiders.join(', ')}`;
  const need = minProposers(roster.size, minProposerPercent);
  if (proposers.length < need)
    return `an investigation proposed by members needs at least ${need} of the ${roster.size} members (${minProposerPercent}%); it has ${proposers.length}`;
  return undefined;
}
