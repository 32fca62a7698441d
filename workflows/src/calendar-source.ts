// The working-day calendars the worker's deadline activities count on: the ones published in the
// registry (GET /v1/calendars), cached for a short time and refreshed without a restart. The
// shipped files (domain/data) are used only when the registry cannot be reached at start; a
// failed refresh later keeps the calendars last fetched.
import { SHIPPED_CALENDARS, WorkingCalendar, missingCalendarYear, type CalendarYear } from '@duban/domain';
import type { Client } from '@temporalio/client';
import { serviceAudience, signToken, type Logger } from '@duban/platform';
import { calendarPublishedSignal } from './kernel/contracts';

export interface CalendarSource {
  /** The calendars to count on now (refreshed when older than the TTL, or at once when `need` is a year not known yet). */
  current(need?: number): Promise<WorkingCalendar>;
  /** Called with the years that appeared in a refresh (and, at start, the years published lately). */
  onNewYears(listener: (years: number[]) => void): void;
  /** Where the calendars in use came from. */
  origin(): 'registry' | 'shipped';
  /** The year whose calendar is due (from 1 November the next year's) and missing, if any. */
  missingYear(now?: Date): number | undefined;
}

/** The calendars to count on now, from a fixed set or a source. */
export async function calendarOf(
  deps: { calendar: WorkingCalendar | CalendarSource },
  need?: number,
): Promise<WorkingCalendar> {
  const c = deps.calendar;
  return c instanceof WorkingCalendar ? c : c.current(need);
}

/** A fixed set of calendars (tests, benchmarks, a worker without a registry). */
export function staticCalendarSource(cal: WorkingCalendar = new WorkingCalendar(SHIPPED_CALENDARS)): CalendarSource {
  return {
    current: async () => cal,
    onNewYears: () => {},
    origin: () => 'shipped',
    missingYear: (now = new Date()) => missingCalendarYear(cal.knownYears(), now),
  };
}

export async function registryCalendarSource(opts: {
  baseUrl: string;
  /** The token signing key (secret, kid) and issuer. */
  secret: string;
  kid?: string;
  issuer: string;
  logger: Logger;
  /** How long fetched calendars are used before asking again (default 30 s). */
  ttlMs?: number;
  /** At start, years published within this long count as new (default 7 days): a worker down when one was published still recounts. */
  recentMs?: number;
}): Promise<CalendarSource> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const recentMs = opts.recentMs ?? 7 * 24 * 3600_000;
  const listeners: ((years: number[]) => void)[] = [];
  let recent: number[] = [];
  const url = `${opts.baseUrl.replace(/\/$/, '')}/v1/calendars`;
  let token: { value: string; renewAt: number } | undefined;
  async function bearer(): Promise<string> {
    if (!token || Date.now() >= token.renewAt) {
      const value = await signToken(
        { role: 'operator', sub: 'worker' },
        { secret: opts.secret, kid: opts.kid, issuer: opts.issuer, aud: serviceAudience('registry'), ttl: '5m' },
      );
      token = { value, renewAt: Date.now() + 4 * 60_000 };
    }
    return token.value;
  }
  async function fetchCalendars(): Promise<WorkingCalendar> {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${await bearer()}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`the registry answered ${res.status} for ${url}`);
    const { items } = (await res.json()) as { items: (CalendarYear & { publishedAt?: string })[] };
    recent = items.filter((c) => c.publishedAt && Date.now() - Date.parse(c.publishedAt) < recentMs).map((c) => c.year);
    return new WorkingCalendar(
      items.map(({ country, year, source, holidays, makeUpWorkingDays, rule }) => ({
        country,
        year,
        source,
        holidays,
        makeUpWorkingDays,
        rule,
      })),
    );
  }

  let cal: WorkingCalendar;
  let origin: 'registry' | 'shipped' = 'registry';
  let fetchedAt = Date.now();
  try {
    cal = await fetchCalendars();
    opts.logger.info({ years: cal.knownYears() }, 'working-day calendars loaded from the registry');
  } catch (err) {
    cal = new WorkingCalendar(SHIPPED_CALENDARS);
    origin = 'shipped';
    opts.logger.warn(
      { err: (err as Error).message, years: cal.knownYears() },
      'the registry is unreachable: counting on the shipped calendars until it answers',
    );
  }
  let refreshing: Promise<void> | undefined;
  function refresh(): Promise<void> {
    refreshing ??= fetchCalendars()
      .then((fresh) => {
        const before = cal.knownYears();
        cal = fresh;
        origin = 'registry';
        const added = fresh.knownYears().filter((y) => !before.includes(y));
        if (added.length) {
          opts.logger.info({ years: fresh.knownYears(), added }, 'working-day calendars published in the registry');
          for (const l of listeners) l(added);
        }
      })
      .catch((err: Error) => {
        opts.logger.warn({ err: err.message }, 'calendar refresh failed: keeping the calendars last fetched');
      })
      .finally(() => {
        fetchedAt = Date.now();
        refreshing = undefined;
      });
    return refreshing;
  }
  const atStart = origin === 'registry' ? recent : [];
  return {
    async current(need?: number) {
      if (Date.now() - fetchedAt >= ttlMs || (need !== undefined && !cal.knownYears().includes(need))) await refresh();
      return cal;
    },
    onNewYears(listener) {
      listeners.push(listener);
      if (atStart.length) listener(atStart);
    },
    origin: () => origin,
    missingYear: (now = new Date()) => missingCalendarYear(cal.knownYears(), now),
  };
}

/**
 * Running cases follow a newly published calendar: for each year that appears, every running
 * suggestion whose reply deadline (DueAt) falls in that year or later is signalled; the workflow
 * recounts only a deadline it counted Monday–Friday only, so a second signal (another worker, a
 * restart) changes nothing. Refreshes the calendars every `everyMs`; returns a stop function.
 */
export function followPublishedCalendars(opts: {
  calendars: CalendarSource;
  client: Pick<Client, 'workflow'>;
  logger: Logger;
  everyMs?: number;
}): () => void {
  const signalYear = async (year: number) => {
    const query = `CaseKind = 'suggestion' AND ExecutionStatus = 'Running' AND DueAt >= '${year - 1}-12-31T16:00:00Z'`;
    let n = 0;
    try {
      for await (const wf of opts.client.workflow.list({ query })) {
        try {
          await opts.client.workflow.getHandle(wf.workflowId, wf.runId).signal(calendarPublishedSignal, { year });
          n++;
        } catch (err) {
          opts.logger.warn({ err: (err as Error).message, workflowId: wf.workflowId }, 'calendar signal failed');
        }
      }
      opts.logger.info({ year, signalled: n }, 'running cases told of the published calendar');
    } catch (err) {
      opts.logger.error({ err: (err as Error).message, year }, 'could not list the cases a published calendar affects');
    }
  };
  opts.calendars.onNewYears((years) => {
    for (const y of years) void signalYear(y);
  });
  const timer = setInterval(() => void opts.calendars.current().catch(() => undefined), opts.everyMs ?? 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
