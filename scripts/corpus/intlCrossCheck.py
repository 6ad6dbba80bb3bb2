"""Cross-checks data/corpus/*.jsonl (non-English part) with Python's zoneinfo, independently of luxon:
fields and intents, ids unique, texts unique (also against ../shared/data train file if present),
every offset the zone's real offset at that instant, followup_at after now.

    python3 scripts/corpus/intlCrossCheck.py            # the ten non-English files
    python3 scripts/corpus/intlCrossCheck.py data/corpus/es.jsonl ...
"""
import json, sys, os, collections
from datetime import datetime
from zoneinfo import ZoneInfo

INTENTS = {'busy', 'request_time', 'not_interested', 'booked', 'engaged'}
LANGS = {'es', 'pt', 'fr', 'de', 'it', 'nl', 'pl', 'tr', 'hi-Latn', 'tl'}
KEYS = ['id', 'text', 'now', 'timezone', 'intent', 'followup_at', 'tolerance_minutes', 'lang', 'note']


def norm(text):
    return ' '.join(text.lower().split())


def offset_ok(stamp, zone):
    moment = datetime.fromisoformat(stamp.replace('Z', '+00:00'))
    if stamp.endswith('Z'):
        return True
    local = moment.astimezone(ZoneInfo(zone))
    return local.utcoffset() == moment.utcoffset() and local.replace(tzinfo=None) == moment.replace(tzinfo=None)


seen_texts = {}
train = '/work/shared/data/followup-intents.train.jsonl'
if os.path.exists(train):
    for line in open(train):
        seen_texts[norm(json.loads(line)['text'])] = 'train'
ids, errors = set(), []
counts = collections.Counter()
MINE = ['es', 'pt', 'fr', 'de', 'it', 'nl', 'pl', 'tr', 'hi-Latn', 'tl']
for path in sys.argv[1:] or [f'data/corpus/{lang}.jsonl' for lang in MINE]:
    for number, line in enumerate(open(path), 1):
        record = json.loads(line)
        where = f'{path}:{number} {record.get("id")}'
        keys = [k for k in KEYS if k in record]
        if list(record) != keys:
            errors.append(f'{where}: unexpected keys {list(record)}')
        if record['intent'] not in INTENTS or record['lang'] not in LANGS:
            errors.append(f'{where}: intent/lang')
        if record['id'] in ids:
            errors.append(f'{where}: duplicate id')
        ids.add(record['id'])
        key = norm(record['text'])
        if key in seen_texts:
            errors.append(f'{where}: text duplicates {seen_texts[key]}')
        seen_texts[key] = record['id']
        ZoneInfo(record['timezone'])
        if not offset_ok(record['now'], record['timezone']):
            errors.append(f'{where}: now offset is not the zone\'s')
        has_time = 'followup_at' in record or 'tolerance_minutes' in record
        if (record['intent'] == 'request_time') != has_time:
            errors.append(f'{where}: followup_at only and always for request_time')
        if record['intent'] == 'request_time':
            now = datetime.fromisoformat(record['now'].replace('Z', '+00:00'))
            at = datetime.fromisoformat(record['followup_at'])
            if at < now or not offset_ok(record['followup_at'], record['timezone']):
                errors.append(f'{where}: followup_at before now or offset wrong')
            if not isinstance(record['tolerance_minutes'], int) or record['tolerance_minutes'] < 0:
                errors.append(f'{where}: tolerance')
        if not record.get('note'):
            errors.append(f'{where}: note missing')
        counts[(record['lang'], record['intent'])] += 1
for error in errors:
    print(error)
langs = sorted({lang for lang, _ in counts})
print('lang      ' + ' '.join(f'{i[:6]:>7}' for i in sorted(INTENTS)) + '   total')
for lang in langs:
    row = [counts[(lang, i)] for i in sorted(INTENTS)]
    print(f'{lang:9} ' + ' '.join(f'{n:7}' for n in row) + f'   {sum(row):5}')
print('total', sum(counts.values()), 'errors', len(errors))
sys.exit(1 if errors else 0)
