"""Working time: a unit's weekly sessions plus days off and extra working days, as positions (pure Python).

A unit works in weekly sessions (typically Mon–Fri 08:00–12:00 and 13:00–17:00). Public holidays, holiday
breaks and the swaps the government announces turn single days off or on (portal.units.calendar.domain.
national_days decides which). Every instant then has a *working position*: the working time elapsed since
the start of its year. Adding working time or working days is arithmetic on positions, done per day with
bisect over precomputed per-year tables, never by stepping minutes — so it is fast (a few µs per call) and
a calendar with no working time raises instead of looping. Statutory deadlines are built on top of this in
procedures.domain.deadlines.

Conventions (see DESIGN.md §2):
- Instants in and out are timezone-aware; results are in the calendar's time zone (Vietnam, +07:00).
- Time received outside office hours counts from the next working moment.
- Adding working time ends at the *earliest* instant at which it has run: never at the opening of a
  session but at the close of the one before (1 working hour from 16:00 Friday ends at 17:00 Friday, not
  08:00 Monday). Every result therefore lies in office hours, end of a session included.
- N working days end at the same position within the day N working days later ("10:00 Tuesday + 2 days =
  10:00 Thursday"); on a shorter day (a Saturday morning) they end at its close at the latest.
- The close of a day for a cut-off: received by the cut-off → the close of that working day; after it (or
  after closing) → the close of the next working day.

Errors are `CalendarError` (a ValueError) whose message template is marked for translation; the Django
layers translate it with `gettext(error.template) % error.params`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo


def _(message: str) -> str:
    """Mark a message for extraction by makemessages; translation happens in the Django layers."""
    return message


VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Years the calendar answers for: wide enough for any dossier, narrow enough that a bad input (year 1 or
# 9999) is an error rather than a long computation.
MIN_YEAR, MAX_YEAR = 2000, 2100
# A search that crosses this many consecutive years without a working minute gives up.
MAX_EMPTY_YEARS = 2

US_PER_MINUTE = 60_000_000
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR

Session = tuple[time, time]
WeeklyHours = Mapping[int, Sequence[Session]]  # weekday (0 = Monday) → sessions

# The national default: Monday to Friday, 08:00–12:00 and 13:00–17:00 (Decree 45/2013 office hours).
DEFAULT_WEEKLY_HOURS: dict[int, tuple[Session, ...]] = {
    weekday: ((time(8), time(12)), (time(13), time(17))) for weekday in range(5)
}
# The length of a full working day nationally (8 hours), derived from those hours rather than typed in: the
# day length the nationwide catalogue counts in (see procedures.domain.deadlines.deadline_working_minutes).
NATIONAL_FULL_DAY_MINUTES = sum(
    (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) for start, end in DEFAULT_WEEKLY_HOURS[0]
)


class CalendarError(ValueError):
    """Bad input or a calendar that cannot answer; the message template is translatable."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)


def _us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _clock_us(dt: datetime) -> int:
    return ((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1_000_000 + dt.microsecond


def check_sessions(sessions: Iterable[Session]) -> tuple[tuple[int, int], ...]:
    """Validate one day's sessions; returns them sorted, as microseconds since midnight."""
    out = []
    for session in sessions:
        try:
            start, end = session
        except (TypeError, ValueError):
            raise CalendarError(_("A session must be a pair of times (start, end).")) from None
        if not (isinstance(start, time) and isinstance(end, time)) or start.tzinfo or end.tzinfo:
            raise CalendarError(_("Session times must be plain times of day, e.g. 08:00."))
        if start >= end:
            raise CalendarError(
                _("A session must end after it starts (%(start)s–%(end)s)."),
                start=start.strftime("%H:%M"),
                end=end.strftime("%H:%M"),
            )
        out.append((_us(start), _us(end), start, end))
    out.sort()
    for (_s1, e1, a1, b1), (s2, _e2, a2, b2) in zip(out, out[1:], strict=False):
        if s2 < e1:
            raise CalendarError(
                _("Sessions %(first)s and %(second)s overlap."),
                first=f"{a1:%H:%M}–{b1:%H:%M}",
                second=f"{a2:%H:%M}–{b2:%H:%M}",
            )
    return tuple((s, e) for s, e, _a, _b in out)


@dataclass(frozen=True, slots=True)
class _Year:
    """One year's working days, precomputed: the tables every computation bisects."""

    year: int
    ords: list[int]  # date ordinals of the working days, ascending
    sessions: list[tuple[tuple[int, int], ...]]  # each working day's sessions (µs since midnight)
    cum: list[int]  # cum[i] = working µs of the year before working day i; cum[-1] = the year's total
    ymd: list[tuple[int, int, int]]

    @property
    def total(self) -> int:
        return self.cum[-1]


def _to_ords(days: Iterable[date]) -> set[int]:
    out = set()
    for day in days:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise CalendarError(_("Days off and working days must be dates, not %(value)r."), value=day)
        out.add(day.toordinal())
    return out


class WorkingCalendar:
    """A unit's working time. Built from weekly sessions plus days off and extra (make-up) working days;
    `special_days(year) -> (days_off, extra_working_days)` may supply more per year, loaded once, lazily.

    An extra working day on a weekend (a make-up Saturday) is worked as a full weekday: `makeup_sessions`,
    by default the longest weekday's sessions.
    """

    def __init__(
        self,
        weekly: WeeklyHours | None = None,
        *,
        days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        special_days: Callable[[int], tuple[Iterable[date], Iterable[date]]] | None = None,
        makeup_sessions: Sequence[Session] | None = None,
        tz: tzinfo = VIETNAM_TZ,
    ):
        weekly = DEFAULT_WEEKLY_HOURS if weekly is None else weekly
        self.weekly: dict[int, tuple[tuple[int, int], ...]] = {}
        for weekday in range(7):
            self.weekly[weekday] = check_sessions(weekly.get(weekday, ()))
        unknown = set(weekly) - set(range(7))
        if unknown:
            raise CalendarError(_("Weekdays are numbered 0 (Monday) to 6 (Sunday), not %(value)s."), value=unknown)
        if makeup_sessions is not None:
            self.makeup = check_sessions(makeup_sessions)
        else:
            # The longest weekday, Monday first among equals.
            self.makeup = max((self.weekly[d] for d in range(7)), key=lambda s: sum(e - b for b, e in s))
        self.tz = tz
        self.days_off = _to_ords(days_off)
        self.working_days = _to_ords(extra_working_days)
        self._check_disjoint(self.days_off, self.working_days)
        self.special_days = special_days
        if not any(self.weekly.values()) and not self.working_days and special_days is None:
            raise CalendarError(_("The calendar has no working time at all: add office hours."))
        if not self.makeup:
            # No weekday is worked at all: make-up days still need hours, so use the national default.
            self.makeup = check_sessions(DEFAULT_WEEKLY_HOURS[0])
        self._years: dict[int, _Year] = {}

    @staticmethod
    def _check_disjoint(off: set[int], on: set[int]) -> None:
        both = off & on
        if both:
            raise CalendarError(
                _("%(date)s cannot be both a day off and a working day."),
                date=date.fromordinal(min(both)).isoformat(),
            )

    # -- per-year tables --------------------------------------------------------------------------------

    def year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CalendarError(
                _("%(year)s is outside the years the calendar covers (%(min)s–%(max)s)."),
                year=year,
                min=MIN_YEAR,
                max=MAX_YEAR,
            )
        first, last = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
        off = {o for o in self.days_off if first <= o < last}
        on = {o for o in self.working_days if first <= o < last}
        if self.special_days is not None:
            extra_off, extra_on = self.special_days(year)
            extra_off, extra_on = _to_ords(extra_off), _to_ords(extra_on)
            self._check_disjoint(extra_off, extra_on)
            # A year's own list overrides the static sets for the same day.
            off = (off - extra_on) | extra_off
            on = (on - extra_off) | extra_on
        ords, sessions, cum, ymd = [], [], [0], []
        weekday = date(year, 1, 1).weekday()
        total = 0
        for o in range(first, last):
            if o in off:
                day = ()
            elif o in on:
                day = self.weekly[weekday] if weekday < 5 and self.weekly[weekday] else self.makeup
            else:
                day = self.weekly[weekday]
            if day:
                d = date.fromordinal(o)
                ords.append(o)
                sessions.append(day)
                total += sum(e - s for s, e in day)
                cum.append(total)
                ymd.append((d.year, d.month, d.day))
            weekday = (weekday + 1) % 7
        built = _Year(year, ords, sessions, cum, ymd)
        self._years[year] = built
        return built

    def _next_year(self, yr: _Year, skipped: int) -> tuple[_Year, int]:
        """The year after `yr`; counts consecutive empty years so a calendar without work raises."""
        skipped = skipped + 1 if not yr.ords else 0
        if skipped >= MAX_EMPTY_YEARS:
            raise CalendarError(_("The calendar has no working time at all: add office hours."))
        return self.year(yr.year + 1), skipped

    # -- instants ↔ positions ---------------------------------------------------------------------------

    def local(self, moment: datetime, name: str = "received_at") -> datetime:
        """The instant in the calendar's time zone; naive datetimes are refused, never guessed."""
        if not isinstance(moment, datetime):
            raise CalendarError(_("%(name)s must be a date and time."), name=name)
        if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
            raise CalendarError(_("%(name)s must include a time zone, e.g. 2026-01-05T10:00:00+07:00."), name=name)
        return moment.astimezone(self.tz)

    def _locate(self, lt: datetime) -> tuple[_Year, int, int, bool]:
        """(year, index of the working day at or after lt, working µs of that day before lt, lt is on it)."""
        yr = self.year(lt.year)
        o = lt.toordinal()
        i = bisect_left(yr.ords, o)
        if i < len(yr.ords) and yr.ords[i] == o:
            clock = _clock_us(lt)
            off = 0
            for s, e in yr.sessions[i]:
                if clock >= e:
                    off += e - s
                elif clock > s:
                    off += clock - s
                    break
                else:
                    break
            return yr, i, off, True
        return yr, i, 0, False

    def _make(self, ymd: tuple[int, int, int], clock: int) -> datetime:
        h, rest = divmod(clock, US_PER_HOUR)
        m, rest = divmod(rest, US_PER_MINUTE)
        s, us = divmod(rest, 1_000_000)
        return datetime(ymd[0], ymd[1], ymd[2], h, m, s, us, tzinfo=self.tz)

    def _at(self, yr: _Year, pos: int) -> datetime:
        """Earliest instant of year `yr` with working position `pos` (0 < pos <= total)."""
        i = bisect_left(yr.cum, pos) - 1
        w = pos - yr.cum[i]
        for s, e in yr.sessions[i]:
            if w <= e - s:
                return self._make(yr.ymd[i], s + w)
            w -= e - s
        raise AssertionError("position beyond the day")  # pragma: no cover - cum is consistent

    def _at_end_of_day(self, yr: _Year, i: int) -> datetime:
        return self._make(yr.ymd[i], yr.sessions[i][-1][1])

    def _advance_days(self, yr: _Year, i: int, n: int) -> tuple[_Year, int]:
        """Working day n days after day i of yr (i may be len(ords): the first one of the next year)."""
        i += n
        skipped = 0
        while i >= len(yr.ords):
            i -= len(yr.ords)
            yr, skipped = self._next_year(yr, skipped)
        return yr, i

    # -- public API -------------------------------------------------------------------------------------

    @property
    def full_day_minutes(self) -> int:
        """Working minutes of a full working day: the longest usual day, which is also what a make-up day is
        worked as. A shorter day (a Saturday morning) still counts as one working day of a deadline."""
        return sum(e - s for s, e in self.makeup) // US_PER_MINUTE

    def is_working_day(self, day: date) -> bool:
        yr = self.year(day.year)
        o = day.toordinal()
        i = bisect_left(yr.ords, o)
        return i < len(yr.ords) and yr.ords[i] == o

    def minutes_on(self, day: date) -> int:
        """Working minutes of that day: its real length (240 on a Saturday morning, 0 on a day off)."""
        yr = self.year(day.year)
        i = bisect_left(yr.ords, day.toordinal())
        if i < len(yr.ords) and yr.ords[i] == day.toordinal():
            return (yr.cum[i + 1] - yr.cum[i]) // US_PER_MINUTE
        return 0

    def sessions_on(self, day: date) -> list[Session]:
        """The sessions worked on a day (empty on a day off), as times of day."""
        yr = self.year(day.year)
        o = day.toordinal()
        i = bisect_left(yr.ords, o)
        if i < len(yr.ords) and yr.ords[i] == o:
            return [(_time(s), _time(e)) for s, e in yr.sessions[i]]
        return []

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself during office hours, otherwise the opening of the next session."""
        lt = self.local(moment, "moment")
        yr, i, off, on_day = self._locate(lt)
        if on_day:
            clock = _clock_us(lt)
            for s, e in yr.sessions[i]:
                if clock < s:
                    return self._make(yr.ymd[i], s)
                if clock < e:
                    return lt
            i += 1
        skipped = 0
        while i >= len(yr.ords):
            i -= len(yr.ords)
            yr, skipped = self._next_year(yr, skipped)
        return self._make(yr.ymd[i], yr.sessions[i][0][0])

    def elapsed_working(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (zero outside office hours)."""
        ls, le = self.local(start, "start"), self.local(end, "end")
        if le < ls:
            raise CalendarError(_("The end (%(end)s) is before the start (%(start)s)."), start=ls, end=le)
        ys, i, off, _on = self._locate(ls)
        ye, j, off_e, _on = self._locate(le)
        total = ye.cum[j] + off_e - (ys.cum[i] + off)
        for year in range(ys.year, ye.year):
            total += self.year(year).total
        return timedelta(microseconds=total)

    def add_working_time(self, moment: datetime, amount: timedelta) -> datetime:
        """Earliest instant by which `amount` of working time has run from `moment`."""
        lt = self.local(moment)
        remaining = amount // timedelta(microseconds=1)
        if remaining <= 0:
            if remaining == 0:
                return lt
            raise CalendarError(_("Working time to add cannot be negative."))
        yr, i, off, _on = self._locate(lt)
        pos = yr.cum[i] + off
        skipped = 0
        while remaining > yr.total - pos:
            remaining -= yr.total - pos
            yr, skipped = self._next_year(yr, skipped)
            pos = 0
        return self._at(yr, pos + remaining)

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The same position within the day, `days` working days later (the close of a shorter day)."""
        lt = self.local(moment)
        yr, i, off, _on = self._locate(lt)
        if off == 0:
            # Counting starts at the opening of day i, which is the close of day i - 1: end at a close.
            yr, i = self._advance_days(yr, i, days - 1)
            return self._at_end_of_day(yr, i)
        yr, i = self._advance_days(yr, i, days)
        return self._at(yr, yr.cum[i] + min(off, yr.cum[i + 1] - yr.cum[i]))

    def close_of_day_for(self, moment: datetime, cutoff: time, days: int = 1) -> datetime:
        """Same-day rule: the close of the receipt's working day, or of the next one if received after
        the cut-off or after closing; `days` > 1 counts further working days."""
        self.check_cutoff(cutoff)
        lt = self.local(moment)
        yr, i, off, on_day = self._locate(lt)
        if on_day and (off == yr.cum[i + 1] - yr.cum[i] or _clock_us(lt) > _us(cutoff)):
            i += 1
        yr, i = self._advance_days(yr, i, days - 1)
        return self._at_end_of_day(yr, i)

    def check_cutoff(self, cutoff: time) -> None:
        """A cut-off must fall within the office hours of some weekday (15:00, not 07:00 or 12:30)."""
        c = _us(cutoff)
        for sessions in (*self.weekly.values(), self.makeup):
            for s, e in sessions:
                if s <= c <= e:
                    return
        raise CalendarError(_("The cut-off time %(cutoff)s is outside office hours."), cutoff=f"{cutoff:%H:%M}")


def _time(us: int) -> time:
    h, rest = divmod(us, US_PER_HOUR)
    m, rest = divmod(rest, US_PER_MINUTE)
    s, micro = divmod(rest, 1_000_000)
    return time(h, m, s, micro)


def elapsed_working(calendar: WorkingCalendar, start: datetime, end: datetime) -> timedelta:
    return calendar.elapsed_working(start, end)


def next_working_moment(calendar: WorkingCalendar, moment: datetime) -> datetime:
    return calendar.next_working_moment(moment)
