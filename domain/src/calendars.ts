// The calendars the project ships (official schedules, one file a year).
import cn2026 from '../data/cn-2026.json';
import { WorkingCalendar, type CalendarYear } from './calendar';

export const SHIPPED_CALENDARS: CalendarYear[] = [cn2026 as CalendarYear];

export function shippedCalendar(): WorkingCalendar {
  return new WorkingCalendar(SHIPPED_CALENDARS);
}
