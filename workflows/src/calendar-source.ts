// The working-day calendars the worker's deadline activities count on: the ones published in the
// registry (GET /v1/calendars), cached for a short time and refreshed without a restart. The
// shipped files (domain/data) are used only when the registry cannot be reached at start; a
// failed refresh later keeps the calendars last fetched.
import { SHIPPED_CALENDARS, WorkingCalendar, missingCalendarYear, type CalendarYear } from '@duban/domain';
import { signToken, type Logger } from '@duban/platform';

export interface CalendarSource {
  /** The calendars to count on now (refreshed when older than the TTL). */
  current(): Promise<WorkingCalendar>;
  /** Where the calendars in use came from. */
  origin(): 'registry' | 'shipped';
  /** The year whose calendar is due (from 1 November the next year's) and missing, if any. */
  missingYear(now?: Date): number | undefined;
}

/** The calendars to count on now, from a fixed set or a source. */
export async function calendarOf(deps: { calendar: WorkingCalendar | CalendarSource }): Promise<WorkingCalendar> {
  const c = deps.calendar;
  return c instanceof WorkingCalendar ? c : c.current();
}

/** A fixed set of calendars (tests, benchmarks, a worker without a registry). */
export function staticCalendarSource(cal: WorkingCalendar = new WorkingCalendar(SHIPPED_CALENDARS)): CalendarSource {
  return {
    current: async () => cal,
    origin: () => 'shipped',
    missingYear: (now = new Date()) => missingCalendarYear(cal.knownYears(), now),
  };
}

export async function registryCalendarSource(opts: {
  baseUrl: string;
  secret: string;
  issuer: string;
  logger: Logger;
  /** How long fetched calendars are used before asking again (default 30 s). */
  ttlMs?: number;
}): Promise<CalendarSource> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const url = `${opts.baseUrl.replace(/\/$/, '')}/v1/calendars`;
  let token: { value: string; renewAt: number } | undefined;
  async function bearer(): Promise<string> {
    if (!token || Date.now() >= token.renewAt) {
      const value = await signToken(
        { role: 'operator', sub: 'worker' },
        { secret: opts.secret, issuer: opts.issuer, ttl: '5m' },
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
    const { items } = (await res.json()) as { items: CalendarYear[] };
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
        const before = cal.knownYears().join(',');
        cal = fresh;
        origin = 'registry';
        if (fresh.knownYears().join(',') !== before)
          opts.logger.info({ years: fresh.knownYears() }, 'working-day calendars changed in the registry');
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
  return {
    async current() {
      if (Date.now() - fetchedAt >= ttlMs) await refresh();
      return cal;
    },
    origin: () => origin,
    missingYear: (now = new Date()) => missingCalendarYear(cal.knownYears(), now),
  };
}
