// What the citizen service asks of the suggestions service: a suggestion taken up from an
// opinion. (The registry's client is platform's.)
import { HttpError } from '@duban/platform';

async function getJson(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10000) });
  } catch (err) {
    throw new HttpError(503, 'dependency_unavailable', `${what} did not answer: ${(err as Error).message}`);
  }
}

export interface SuggestionsClient {
  /** Submits a suggestion as the deputy (their token), idempotent by the key; returns its case id. */
  submit(
    body: { title: string; content: string; category: string; jurisdiction: string; sourceCaseId: string },
    authorization: string,
    idempotencyKey: string,
  ): Promise<string>;
}

export function createSuggestionsClient(baseUrl: string): SuggestionsClient {
  return {
    async submit(body, authorization, idempotencyKey) {
      const res = await getJson(
        `${baseUrl}/v1/suggestions`,
        {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(body),
        },
        'the suggestions service',
      );
      const answer = (await res.json().catch(() => ({}))) as {
        caseId?: string;
        error?: { code: string; message: string; details?: unknown };
      };
      if (res.ok && answer.caseId) return answer.caseId;
      // The suggestions service's own refusal (e.g. a field it does not accept) goes back as is.
      if (res.status >= 400 && res.status < 500 && answer.error)
        throw new HttpError(
          res.status,
          answer.error.code,
          `the suggestions service refused: ${answer.error.message}`,
          answer.error.details as never,
        );
      throw new HttpError(502, 'suggestions_error', `the suggestions service answered ${res.status}`);
    },
  };
}
