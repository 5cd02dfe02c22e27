"""The working calendar's one home: which days and hours a unit works.

Layers, each importing only the ones above it (and nothing from `procedures`, which imports from here):
- domain/        pure Python: working_time (WorkingCalendar: sessions, positions, adding working time),
                 national_days (holidays, announced swaps, holiday breaks, unit overrides),
                 public_holidays (the `holidays` package), clock_policy (a unit's clock setting);
- models         OfficeHours and CalendarException (tables of the units app);
- cache, signals the calendar token, replaced on every change;
- selectors      cached reads: nationwide_calendar(), unit_calendar(unit), default_unit_calendar();
- services       writes (office hours, demo hours);
- preview        the admin's 60-day preview.

Statutory deadlines on top of a calendar are procedures.domain.deadlines and procedures.selectors.deadlines.
"""
