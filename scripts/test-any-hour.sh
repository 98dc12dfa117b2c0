#!/bin/sh
# The tests at three hours of the day in Beijing: just after midnight, in the afternoon and just
# before midnight. libfaketime (Debian: faketime) starts the process's clock at each moment; the
# suite must pass at every one, because no test reads the real time to decide what to assert.
#
#   scripts/test-any-hour.sh [PYTEST ARGS...]      e.g. scripts/test-any-hour.sh tests/api tests/e2e
set -eu
cd "$(dirname "$0")/.."
command -v faketime >/dev/null 2>&1 || { echo "test-any-hour: needs faketime (apt-get install faketime)"; exit 1; }
PY=${PY:-.venv/bin/python}
day=$(TZ=Asia/Shanghai date +%F)
failed=""
for hour in 00:30 15:30 23:30; do
    moment="${day}T${hour}:00+08:00"
    # The clock really moved (a preload that did not take would pass without testing anything).
    seen=$(faketime -m "$moment" "$PY" -c 'import datetime as d; print(d.datetime.now(d.timezone(d.timedelta(hours=8))).strftime("%H:%M"))')
    [ "$seen" = "$hour" ] || { echo "test-any-hour: faketime did not move the clock to $hour (saw $seen)"; exit 1; }
    echo "== pytest with the clock at $moment"
    faketime -m "$moment" "$PY" -m pytest "$@" || failed="$failed $hour"
done
[ -z "$failed" ] || { echo "test-any-hour: failed at$failed (Beijing time)"; exit 1; }
echo "test-any-hour: passed at 00:30, 15:30 and 23:30 (Beijing time)"
