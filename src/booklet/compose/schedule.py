"""Turn the program's days, sessions and items into a timetable: slots in order, their times.

A slot is one session with its items, or one item outside any session (a break). Slots
follow one another in the order the program lists them; sessions of one day that start at
the same time in different rooms are one group of parallel slots. Times run on from the
event's start: an item without a time starts when the one before it ends, a session's first
item when the session starts, and each room of a parallel group keeps its own clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import Diagnostics
from ..read.model import Content, Day, ProgramItem, Session


@dataclass(frozen=True)
class Slot:
    """A session with its items, or a single item of no session."""

    session: Session | None
    items: tuple[ProgramItem, ...]
    start: int | None = None  # minutes after midnight, when known
    end: int | None = None


@dataclass(frozen=True)
class DaySchedule:
    """One day's slots; `day` is None for a program that names no days."""

    day: Day | None
    groups: tuple[tuple[Slot, ...], ...]  # each group one slot, or parallel slots


@dataclass(frozen=True)
class Timetable:
    days: tuple[DaySchedule, ...]
    times: dict[str, str]  # item id → its start, "14:06"


def timetable(content: Content, diags: Diagnostics) -> Timetable:
    """The program as days of slot groups, with every item's start where it can be known."""
    times: dict[str, str] = {}
    days = []
    for day, slots in _slots_by_day(content):
        clock = _minutes(content.event.start) if content.event.start else None
        groups, previous = [], None
        for group in _parallel_groups(slots):
            timed, clock, previous = _time_group(group, clock, previous, times, diags)
            groups.append(timed)
        days.append(DaySchedule(day, tuple(groups)))
    return Timetable(tuple(days), times)


def event_days(content: Content) -> tuple[dt.date | None, dt.date | None]:
    """The event's first and last day: as the event says, else from its program's days."""
    dates = [d.date for d in content.days]
    first = content.event.date or (min(dates) if dates else None)
    last = content.event.end_date or (max(dates) if dates else first)
    return first, last


def day_of(item: ProgramItem, content: Content) -> str | None:
    """The id of the day an item is on: its own, its session's, or the only day there is."""
    if item.day:
        return item.day
    session = next((s for s in content.sessions if s.id == item.session), None)
    if session is not None and session.day:
        return session.day
    return content.days[0].id if content.days else None


def _slots_by_day(content: Content) -> list[tuple[Day | None, list[Slot]]]:
    """Each day with its slots, in the order the program lists their first item."""
    sessions = {s.id: s for s in content.sessions}
    days: list[Day | None] = list(content.days) or [None]
    order: dict[str | None, list[str]] = {d.id if d else None: [] for d in days}
    members: dict[str, list[ProgramItem]] = {}
    for item in content.program:
        key = f"s:{item.session}" if item.session in sessions else f"i:{item.id}"
        members.setdefault(key, []).append(item)
        day = day_of(item, content) if content.days else None
        bucket = order.get(day, order[days[0].id if days[0] else None])
        if key not in bucket:
            bucket.append(key)
    for session in content.sessions:  # a session of no items still has its place
        key = f"s:{session.id}"
        if key not in members:
            members[key] = []
            day = session.day or (days[0].id if days[0] else None)
            order.get(day, order[days[0].id if days[0] else None]).append(key)
    return [
        (day, [_slot(key, members[key], sessions) for key in order[day.id if day else None]])
        for day in days
    ]


def _slot(key: str, items: list[ProgramItem], sessions: dict[str, Session]) -> Slot:
    session = sessions[key[2:]] if key.startswith("s:") else None
    return Slot(session, tuple(items))


def _parallel_groups(slots: list[Slot]) -> list[list[Slot]]:
    """Consecutive sessions that start at the same time in different rooms run in parallel."""
    groups: list[list[Slot]] = []
    for slot in slots:
        last = groups[-1][-1] if groups else None
        if last is not None and _parallel(last, slot) and _new_room(groups[-1], slot):
            groups[-1].append(slot)
        else:
            groups.append([slot])
    return groups


def _parallel(a: Slot, b: Slot) -> bool:
    sa, sb = a.session, b.session
    return bool(sa and sb and sa.time and sa.time == sb.time and sa.room and sb.room)


def _new_room(group: list[Slot], slot: Slot) -> bool:
    assert slot.session is not None
    return all(s.session and s.session.room != slot.session.room for s in group)


def _time_group(
    group: list[Slot], clock: int | None, previous: str | None, times: dict, diags: Diagnostics
) -> tuple[tuple[Slot, ...], int | None, str | None]:
    """Time each slot of a group from the same clock; the group ends when its last room does."""
    timed = [_time_slot(slot, clock, previous, times, diags) for slot in group]
    ends = [s.end for s in timed]
    end = max(e for e in ends if e is not None) if None not in ends else None
    last = next((s.items[-1].id for s in reversed(timed) if s.items), previous)
    return tuple(timed), end, last


def _time_slot(
    slot: Slot, clock: int | None, previous: str | None, times: dict, diags: Diagnostics
) -> Slot:
    session = slot.session
    if session is not None and session.time:
        where = (session.title.loc, f"sessions[{session.id}].time")
        hint = "check the session's time and the times and durations before it"
        _early(session.time, clock, previous, where, diags, hint)
        clock = _minutes(session.time)
    for item in slot.items:
        clock = _time_item(item, clock, previous, times, diags)
        previous = item.id
    first = slot.items[0].id if slot.items else ""
    if session is not None and session.time:
        start = _minutes(session.time)
    else:
        start = _minutes(times[first]) if first in times else None
    end = _minutes(session.end) if session is not None and session.end else clock
    return Slot(session, slot.items, start, end)


def _time_item(
    item: ProgramItem, clock: int | None, previous: str | None, times: dict, diags: Diagnostics
) -> int | None:
    """Record the item's start; return the clock when it ends (None when unknown)."""
    if item.time:
        where = (item.id.loc, f"program[{item.id}].time")
        hint = "check the times and durations of the two items"
        _early(item.time, clock, previous, where, diags, hint)
        clock = _minutes(item.time)
    if clock is None:
        return None
    times[item.id] = _clock(clock)
    return clock + item.duration if item.duration is not None else None


def _early(given: str, clock: int | None, previous: str | None, where, diags, hint: str) -> None:
    """Warn when a time written is earlier than the end of what comes before it."""
    if clock is not None and previous is not None and _minutes(given) < clock:
        loc, field = where
        ends = f"starts at {given}, before '{previous}' ends at {_clock(clock)}"
        diags.warn("program-time", loc, field, ends, hint)


def span_text(slot: Slot) -> str:
    """A slot's time as printed: "09:30–11:00", or its start alone."""
    if slot.start is None:
        return ""
    if slot.end is None or slot.end == slot.start:
        return _clock(slot.start)
    return f"{_clock(slot.start)}–{_clock(slot.end)}"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
