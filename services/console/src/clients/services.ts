// The services behind the console, called with the person's token: each answer as its status
// and JSON body (a body that is not JSON kept as an upstream error message).

/** An upstream answer: its status and JSON body. */
export interface Upstream {
  status: number;
  body: any;
}

export type CallInit = { method?: string; body?: unknown; key?: string };
export type Call = (token: string, base: string, path: string, init?: CallInit) => Promise<Upstream>;

export const callService: Call = async (token, base, p, init = {}) => {
  const res = await fetch(`${base}${p}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: { code: 'upstream', message: text.slice(0, 500) } };
  }
  return { status: res.status, body };
};
