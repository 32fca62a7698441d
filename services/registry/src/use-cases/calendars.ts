// Official working-day calendars (工作日历), one a year, published at run time by staff or an
// operator. Every publication is a new version, kept in `calendar_versions` with who published it
// and when; `calendars` holds the current version of each year (the worker reads it). The
// shipped files (domain/data/cn-*.json) only seed a year that has never been published.
import {
  SHIPPED_CALENDARS,
  calendarProblems,
  canonicalCalendar,
  missingCalendarYear,
  type CalendarYear,
} from '@duban/domain';
import { HttpError } from '@duban/platform';
import type { CalendarDoc, RegistryModels } from '../data/models';

export interface PublishedCalendar extends CalendarYear {
  version: number;
  publishedBy: string;
  publishedAt: string;
}

export function calendarView(doc: CalendarDoc): PublishedCalendar {
  const { _id, publishedAt, ...rest } = doc;
  void _id;
  return { ...rest, publishedAt: new Date(publishedAt).toISOString() };
}

/** The current version of every published year, oldest year first. */
export async function listCalendars(models: RegistryModels): Promise<PublishedCalendar[]> {
  const docs = await models.Calendar.find({}).sort({ _id: 1 }).limit(200).lean();
  return docs.map(calendarView);
}

/** The current version of `year`'s calendar, or undefined while it is not published. */
export async function currentCalendar(models: RegistryModels, year: number): Promise<PublishedCalendar | undefined> {
  const doc = await models.Calendar.findById(String(year)).lean();
  return doc ? calendarView(doc) : undefined;
}

const content = (c: CalendarYear) => JSON.stringify(canonicalCalendar(c));

/**
 * Publishes `cal` as `year`'s calendar. Refused with 422 (nothing stored) when it is invalid;
 * the same content as the current version changes nothing (`changed: false`).
 */
export async function publishCalendar(
  models: RegistryModels,
  year: number,
  cal: unknown,
  publishedBy: string,
  now = new Date(),
): Promise<PublishedCalendar & { changed: boolean }> {
  const problems = calendarProblems(cal, year);
  if (problems.length)
    throw new HttpError(
      422,
      'invalid_calendar',
      `the ${year} calendar is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems.map((p) => ({ path: p.path, message: p.message })),
    );
  const next = canonicalCalendar(cal as CalendarYear);
  const current = await models.Calendar.findById(String(year)).lean();
  if (current && content(current) === content(next)) return { ...calendarView(current), changed: false };
  const version = (current?.version ?? 0) + 1;
  const doc: CalendarDoc = { _id: String(year), ...next, version, publishedBy, publishedAt: now };
  try {
    // The version's id is unique: of two publications racing for the same version, one fails here.
    await models.CalendarVersion.create({ ...doc, _id: `${year}/v${version}` });
  } catch (err) {
    if ((err as { code?: number }).code === 11000)
      throw new HttpError(409, 'conflict', `another ${year} calendar was published at the same moment; try again`);
    throw err;
  }
  await models.Calendar.replaceOne({ _id: String(year) }, doc, { upsert: true });
  return { ...calendarView(doc), changed: true };
}

/** Stores each shipped calendar whose year has never been published (version 1, by "shipped"). */
export async function seedCalendars(models: RegistryModels): Promise<number[]> {
  const seeded: number[] = [];
  for (const cal of SHIPPED_CALENDARS) {
    if (await models.Calendar.findById(String(cal.year)).lean()) continue;
    await publishCalendar(models, cal.year, cal, 'shipped');
    seeded.push(cal.year);
  }
  return seeded;
}

export async function publishedYears(models: RegistryModels): Promise<number[]> {
  const docs = await models.Calendar.find({}, { _id: 1 }).lean();
  return docs.map((d) => Number(d._id)).sort();
}

/** The warning while a year's calendar is due but not published (from 1 November for the next year). */
export function missingCalendarWarning(years: number[], now = new Date()): string | undefined {
  const missing = missingCalendarYear(years, now);
  return missing === undefined
    ? undefined
    : `no official holiday schedule for ${missing}: deadlines in ${missing} count Monday–Friday only until it is published (PUT /v1/calendars/${missing})`;
}
