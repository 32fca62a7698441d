// The console API, same origin; the session cookie travels by itself (httpOnly: scripts never see the token).
export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: { path: string; message: string }[];
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const e = body?.error ?? {};
    throw {
      status: res.status,
      code: e.code ?? 'error',
      message: e.message ?? res.statusText,
      details: e.details,
    } as ApiError;
  }
  return body as T;
}

export interface Principal {
  sub: string;
  role: 'deputy' | 'unit' | 'staff' | 'citizen' | 'operator';
  unit?: string;
  name?: string;
}

export interface CaseRow {
  id?: string;
  caseId?: string;
  kind: string;
  stage: string;
  title?: string;
  leadUnit?: string;
  units?: string[];
  deputyId?: string;
  dueAt?: string;
  overdue?: boolean;
  satisfaction?: string;
  lastEventAt?: string;
  /** Where the row leads when not the case page (e.g. a livelihood cycle); how its stage reads. */
  href?: string;
  stageLabel?: string;
}

export const idOf = (c: CaseRow) => c.id ?? c.caseId ?? '';
