// Where a signed-in person's token comes from. The console never decides who someone is: a
// token source does. In development it is the demo people signed with the shared secret; in
// production an identity provider (the government's unified sign-in, an OIDC provider) answers
// the sign-in callback and the source turns its assertion into a Duban principal and token.
import { ALL_AUDIENCES, signToken, type JwtAuth, type Principal } from '@duban/platform';

export interface Person extends Principal {
  /** What the sign-in page shows, e.g. 王代表 · 代表. */
  label: string;
  group: string;
}

export interface TokenSource {
  readonly kind: string;
  /** The people a sign-in page may offer (development only); undefined when the source redirects. */
  listPeople(): Person[] | undefined;
  /**
   * Signs a person in from what the sign-in request carried (dev: { personId }; an identity
   * provider: its callback's code). Resolves the principal and the JWT the services accept, or
   * undefined when the request names nobody this source knows.
   */
  signIn(request: Record<string, unknown>): Promise<{ principal: Principal; token: string } | undefined>;
}

interface DemoData {
  units: { id: string; name: string }[];
  deputies: { id: string; name: string; stationId?: string }[];
  /** Members of the standing committee: they vote on reports and file inquiries (role deputy). */
  committeeMembers?: { id: string; name: string }[];
}

/**
 * The demo people of services/registry/data/demo.json: deputies, a handler per unit, a clerk, a
 * citizen, an operator, and the standing committee's members.
 */
export function demoPeople(demo: DemoData): Person[] {
  return [
    ...demo.deputies.map((d) => ({ sub: d.id, role: 'deputy' as const, name: d.name, label: d.name, group: '代表' })),
    {
      sub: 'clerk-1',
      role: 'staff' as const,
      name: '人大常委会工作人员',
      label: '常委会工作机构 · 工作人员',
      group: '工作机构',
    },
    ...demo.units.map((u) => ({
      sub: `handler-${u.id}`,
      role: 'unit' as const,
      unit: u.id,
      name: `${u.name}承办人`,
      label: `${u.name} · 承办人`,
      group: '承办单位',
    })),
    { sub: 'citizen-001', role: 'citizen' as const, name: '市民陈女士', label: '市民陈女士', group: '群众' },
    { sub: 'operator-1', role: 'operator' as const, name: '运维人员', label: '系统运维', group: '运维' },
    ...(demo.committeeMembers ?? []).map((m) => ({
      sub: m.id,
      role: 'deputy' as const,
      name: m.name,
      label: m.name,
      group: '常委会组成人员',
    })),
  ];
}

/** Development: pick a demo person; the token is signed with the shared dev secret. */
export function devTokenSource(
  people: Person[],
  opts: Pick<JwtAuth, 'secret' | 'kid' | 'issuer'> & { ttl: string },
): TokenSource {
  return {
    kind: 'dev',
    listPeople: () => people,
    async signIn(request) {
      const person = people.find((p) => p.sub === request.personId);
      if (!person) return undefined;
      const principal: Principal = {
        sub: person.sub,
        role: person.role,
        ...(person.unit ? { unit: person.unit } : {}),
        ...(person.name ? { name: person.name } : {}),
      };
      return { principal, token: await signToken(principal, { ...opts, aud: ALL_AUDIENCES }) };
    },
  };
}
