"""Re-writes a data set of bench/generate.ts the way other producers write the same events.

Usage: python3 bench/rewrite.py <python|sorted|fields> SOURCE_DIR TARGET_DIR

python: the seed's Python tracker: json.dumps with its default separators (a space after every
        ':' and ','), non-ASCII escaped (ensure_ascii), and datetime.isoformat() timestamps
        (microseconds, '+00:00'; no fraction when the microseconds are 0).
sorted: Go maps, jq -S, sort_keys=True: compact, keys sorted at every level, non-ASCII as is,
        timestamps with 9 fraction digits and 'Z'.
fields: as python, with two top-level fields a producer adds after the core ones (the host
        and the process id).
The events themselves (names, payload content, instants) are the source's.
"""

import json
import os
import sys
from datetime import datetime


def python_line(event):
    instant = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00"))
    event["timestamp"] = instant.isoformat()
    return json.dumps(event)


def fields_line(event):
    event["host"] = f"web-{len(event['event']) % 7}"
    event["pid"] = 4000 + len(event["channel"])
    return python_line(event)


def sorted_line(event):
    stamp = event["timestamp"]
    seconds, fraction = stamp[:19], stamp[20:-1]
    event["timestamp"] = f"{seconds}.{fraction.ljust(9, '0')}Z"
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def main():
    mode, source, target = sys.argv[1:4]
    write = {"python": python_line, "sorted": sorted_line, "fields": fields_line}[mode]
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(source)):
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(source, name), encoding="utf-8") as lines, open(
            os.path.join(target, name), "w", encoding="utf-8", newline="\n"
        ) as out:
            out.writelines(write(json.loads(line)) + "\n" for line in lines)


if __name__ == "__main__":
    main()
