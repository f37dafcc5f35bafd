/**
 * The patient's age in whole years at the hook's time, from Patient.birthDate (context only: it
 * carries no weight). A partial birth date ("1950", "1950-06") gives an age only when every day
 * it may mean gives the same age; otherwise none is shown rather than a guess.
 * @see docs/clinical-logic.md section 1 (patient context)
 */

const BIRTH_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function ageOn(year: number, month: number, day: number, now: Date): number {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const d = now.getUTCDate();
  return y - year - (m < month || (m === month && d < day) ? 1 : 0);
}

function daysIn(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** Whole years from `birthDate` to `now` (UTC calendar), or undefined when unknown or uncertain. */
export function ageInYears(birthDate: unknown, now: Date): number | undefined {
  if (typeof birthDate !== 'string' || !(now instanceof Date) || Number.isNaN(now.getTime())) {
    return undefined;
  }
  const m = BIRTH_DATE.exec(birthDate);
  if (!m) return undefined;
  const year = Number(m[1]);
  const firstMonth = m[2] !== undefined ? Number(m[2]) : 1;
  const lastMonth = m[2] !== undefined ? Number(m[2]) : 12;
  if (firstMonth < 1 || lastMonth > 12) return undefined;
  const firstDay = m[3] !== undefined ? Number(m[3]) : 1;
  const lastDay = m[3] !== undefined ? Number(m[3]) : daysIn(year, lastMonth);
  if (firstDay < 1 || lastDay > daysIn(year, lastMonth)) return undefined;
  const oldest = ageOn(year, firstMonth, firstDay, now);
  const youngest = ageOn(year, lastMonth, lastDay, now);
  return oldest === youngest && youngest >= 0 ? youngest : undefined;
}
