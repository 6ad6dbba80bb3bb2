"""Recomputes every English request_time's followup_at from its spec with Python's zoneinfo,
independently of luxon and of scripts/corpus/resolve.ts, and reports any instant that differs.

    python3 scripts/corpus/enCrossCheck.py

Reads the specs (scripts/corpus/specs/en-*.txt) for the meaning and the built files
(data/corpus/en-*.jsonl) for each line's now and zone, in the same order.
"""
import calendar, glob, json, re, sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo
from dateutil.easter import easter

COUNTRY = {
    'Europe/London': 'UK', 'Europe/Dublin': 'IE', 'Pacific/Auckland': 'NZ', 'Asia/Kolkata': 'IN',
    'Asia/Singapore': 'SG', 'Africa/Johannesburg': 'ZA', 'Asia/Manila': 'PH',
}
for z in ['Toronto', 'Vancouver', 'Edmonton', 'Winnipeg', 'Halifax', 'St_Johns', 'Regina']:
    COUNTRY['America/' + z] = 'CA'
for z in ['New_York', 'Chicago', 'Denver', 'Los_Angeles', 'Phoenix', 'Anchorage', 'Detroit', 'Boise',
          'Indiana/Indianapolis', 'Puerto_Rico']:
    COUNTRY['America/' + z] = 'US'
COUNTRY['Pacific/Honolulu'] = 'US'
DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']


def country(zone):
    return 'AU' if zone.startswith('Australia/') else COUNTRY.get(zone, 'OTHER')


def nth(year, month, weekday, n):
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[n - 1] if n > 0 else days[-1]


def weekend_shift(d, pair):
    # a holiday on Saturday is also taken on Monday, on Sunday on Monday (Tuesday if the pair's 2nd)
    if d.weekday() == 5:
        return [d + timedelta(days=2)]
    if d.weekday() == 6:
        return [d + timedelta(days=2 if pair else 1)]
    return []


def closed_days(year, c):
    e = easter(year)
    out = {date(year, 1, 1), date(year, 12, 25)}
    if c in ('UK', 'IE', 'AU', 'NZ', 'CA', 'ZA'):
        out |= {date(year, 12, 26), e - timedelta(days=2)}
        out |= set(weekend_shift(date(year, 12, 25), True) + weekend_shift(date(year, 12, 26), True))
        if c != 'CA':
            out.add(e + timedelta(days=1))
    if c == 'US':
        out |= set(weekend_shift(date(year, 1, 1), False) + weekend_shift(date(year, 12, 25), False))
        j4 = date(year, 7, 4)
        out.add(j4 - timedelta(days=1) if j4.weekday() == 5 else j4 + timedelta(days=1) if j4.weekday() == 6 else j4)
        out |= {nth(year, 9, 0, 1), nth(year, 5, 0, -1), nth(year, 11, 3, 4)}
    if c == 'CA':
        out |= {date(year, 7, 1), nth(year, 9, 0, 1), nth(year, 10, 0, 2)}
    if c == 'UK':
        out |= {nth(year, 8, 0, -1), nth(year, 5, 0, -1)}
    if c == 'AU':
        out |= {date(year, 1, 26), date(year, 4, 25)}
    return out


def holiday(name, year):
    fixed = {'canada-day': (7, 1), 'july4': (7, 4), 'christmas': (12, 25), 'christmas-eve': (12, 24),
             'boxing': (12, 26), 'nye': (12, 31), 'newyear': (1, 1), 'halloween': (10, 31),
             'valentines': (2, 14), 'australia-day': (1, 26), 'anzac': (4, 25), 'st-patricks': (3, 17)}
    if name in fixed:
        return date(year, *fixed[name])
    if name == 'labor':
        return nth(year, 9, 0, 1)
    if name == 'memorial':
        return nth(year, 5, 0, -1)
    if name == 'thanksgiving':
        return nth(year, 11, 3, 4)
    if name == 'thanksgiving-ca':
        return nth(year, 10, 0, 2)
    if name == 'aug-bank':
        return nth(year, 8, 0, -1)
    if name == 'victoria':  # the Monday before 25 May
        d = date(year, 5, 24)
        return d - timedelta(days=d.weekday())
    if name == 'easter':
        return easter(year)
    if name == 'diwali':  # Bhai Dooj
        return {2025: date(2025, 10, 23), 2026: date(2026, 11, 11)}[year]
    raise KeyError(name)


def upcoming(name, today):
    d = holiday(name, today.year)
    return d if d >= today else holiday(name, today.year + 1)


def working_after(d, c):
    d += timedelta(days=1)
    while d.weekday() >= 5 or d in closed_days(d.year, c):
        d += timedelta(days=1)
    return d


def after(name, today, c):
    if name == 'thanksgiving':
        return upcoming(name, today) + timedelta(days=4)
    if name == 'newyear':
        year = today.year if (today.month, today.day) == (1, 1) else today.year + 1
        d = date(year, 1, 2)
        while d.weekday() != 0:
            d += timedelta(days=1)
        return d
    if name == 'christmas':
        return working_after(upcoming('boxing', today), c)
    if name == 'easter':
        return upcoming('easter', today) + timedelta(days=2 if c in ('UK', 'IE', 'AU', 'NZ', 'ZA') else 1)
    return working_after(upcoming(name, today), c)


def resolve(spec, now, zone):
    tz = ZoneInfo(zone)
    c = country(zone)
    cur = now.astimezone(tz).replace(tzinfo=None)  # local wall time; elapsed steps go through UTC
    tol = None

    def to_utc(naive):
        return naive.replace(tzinfo=tz).astimezone(timezone.utc)

    def monday(naive):
        return naive - timedelta(days=naive.weekday())

    for tok in spec.split():
        m = re.fullmatch(r'([+-])(\d+(?:\.\d+)?)(d|w|mo|h|min)', tok)
        if tok.startswith('~'):
            tol = int(tok[1:])
        elif m:
            n = float(m.group(2)) * (-1 if m.group(1) == '-' else 1)
            unit = m.group(3)
            if unit in ('h', 'min'):
                u = to_utc(cur) + timedelta(hours=n) if unit == 'h' else to_utc(cur) + timedelta(minutes=n)
                cur = u.astimezone(tz).replace(tzinfo=None)
            elif unit == 'mo':
                y, mo = divmod(cur.month - 1 + int(n), 12)
                y += cur.year
                cur = cur.replace(year=y, month=mo + 1, day=min(cur.day, calendar.monthrange(y, mo + 1)[1]))
            else:
                cur += timedelta(days=n * (7 if unit == 'w' else 1))
        elif tok.startswith('@'):
            hm, _, other = tok[1:].partition('/')
            h, mi = map(int, hm.split(':'))
            if other:
                there = datetime.combine(cur.date(), time(h, mi), ZoneInfo(other))
                cur = there.astimezone(tz).replace(tzinfo=None)
            else:
                cur = cur.replace(hour=h, minute=mi, second=0, microsecond=0)
        elif tok == 'tom':
            cur += timedelta(days=1)
        elif re.fullmatch(r'(wd|this|next):\w{3}', tok):
            kind, day = tok.split(':')
            wd = DAYS.index(day)
            if kind == 'wd':
                cur += timedelta(days=(wd - cur.weekday()) % 7 or 7)
            else:
                cur = monday(cur) + timedelta(days=wd + (7 if kind == 'next' else 0))
        elif tok in ('nextweek', 'awkd', 'w2', 'wkd', 'nwkd', 'eow', 'eonw'):
            cur = monday(cur) + timedelta(days={'nextweek': 7, 'awkd': 7, 'w2': 14, 'wkd': 5, 'nwkd': 12, 'eow': 4, 'eonw': 11}[tok])
        elif tok == 'eom':
            cur = cur.replace(day=calendar.monthrange(cur.year, cur.month)[1])
        elif tok.startswith('dom:'):
            n = int(tok[4:])
            cur += timedelta(days=1)
            while cur.day != n:
                cur += timedelta(days=1)
        elif tok.startswith('date:'):
            d = date.fromisoformat(tok[5:])
            cur = cur.replace(year=d.year, month=d.month, day=d.day)
        elif tok == 'nextmonth':
            cur = cur.replace(day=1) + timedelta(days=32)
            cur = cur.replace(day=1)
        elif re.fullmatch(r'(month|mid):\w{3}', tok):
            kind, mon = tok.split(':')
            mo = MONTHS.index(mon) + 1
            cur = cur.replace(year=cur.year if mo > cur.month else cur.year + 1, month=mo, day=15 if kind == 'mid' else 1)
        elif tok.startswith('season:'):
            mo = {'spring': 3, 'summer': 6, 'fall': 9, 'autumn': 9, 'winter': 12}[tok[7:]]
            if c in ('AU', 'NZ', 'ZA'):
                mo = (mo + 6 - 1) % 12 + 1
            cur = cur.replace(year=cur.year if mo > cur.month else cur.year + 1, month=mo, day=1)
        elif tok.startswith('after:'):
            d = after(tok[6:], cur.date(), c)
            cur = datetime.combine(d, cur.time())
        elif tok.startswith('day:'):
            d = upcoming(tok[4:], cur.date())
            cur = datetime.combine(d, cur.time())
        else:
            raise ValueError(tok)
    return to_utc(cur), tol


def main():
    checked = mismatched = 0
    for spec_file in sorted(glob.glob('scripts/corpus/specs/en-*.txt')):
        name = spec_file.split('/')[-1][:-4]
        sources = [l for l in open(spec_file, encoding='utf-8').read().split('\n') if l.strip() and not l.startswith('#')]
        records = [json.loads(l) for l in open(f'data/corpus/{name}.jsonl', encoding='utf-8')]
        assert len(sources) == len(records), name
        for src, rec in zip(sources, records):
            if rec['intent'] != 'request_time':
                continue
            opts = [t for t in src.split('|')[2].split() if not (t.startswith('now=') or t.startswith('tz=') or t == 'Z')]
            now = datetime.fromisoformat(rec['now'].replace('Z', '+00:00'))
            at, tol = resolve(' '.join(opts), now, rec['timezone'])
            written = datetime.fromisoformat(rec['followup_at'])
            checked += 1
            if at != written or tol != rec['tolerance_minutes']:
                mismatched += 1
                print(f"{rec['id']} {rec['text']!r}: resolve.ts {rec['followup_at']} ~{rec['tolerance_minutes']}, "
                      f"zoneinfo {at.astimezone(ZoneInfo(rec['timezone'])).isoformat()} ~{tol}")
    print(f'{checked} request_time lines recomputed with zoneinfo; {mismatched} differ')
    return 1 if mismatched else 0


if __name__ == '__main__':
    sys.exit(main())
