#!/bin/bash
# A real screen reader listens while a keyboard user signs in and sends 200.00 to Li Mei (English):
# Orca (the GNOME screen reader) under Xvfb with a window manager and its own D-Bus session and
# accessibility bus. Orca's debug log records every line it speaks; the check prints them and
# fails unless every screen title of the flow and the payment's result were heard and no PIN digit.
#
#   scripts/orca-check.sh [--out DIR] [--keep]      (from the project root, after make test: uses .venv)
#
# As root it installs what it needs from Debian (orca, at-spi2-core, dbus-x11, openbox, xdotool,
# xvfb); otherwise it prints the apt-get line. Nothing of the user's own desktop is touched: Orca's
# settings, the D-Bus session and the kiosk's data live in a temporary folder.
set -u
out=orca-check; keep=""
while [ $# -gt 0 ]; do
  case "$1" in --out) out=$2; shift 2;; --keep) keep=1; shift;; *) echo "unknown option $1"; exit 2;; esac
done
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "orca-check: run make test (or make run) first: it makes .venv"; exit 2; }

packages="orca at-spi2-core dbus-x11 openbox xdotool xvfb xauth"
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "orca-check: installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 2
  else
    echo "orca-check: needs: sudo apt-get install -y$missing"; exit 2
  fi
fi

mkdir -p "$out"; out=$(cd "$out" && pwd)
tmp=$(mktemp -d); pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null; done
  [ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null
  [ -n "$keep" ] || rm -rf "$tmp"
}
trap cleanup EXIT

display=":$((100 + RANDOM % 400))"
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 & pids="$! $pids"
export DISPLAY=$display HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share
export XDG_RUNTIME_DIR=$tmp/run NO_AT_BRIDGE=0 GTK_MODULES=gail:atk-bridge
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
eval "$(dbus-launch --sh-syntax)"
openbox >"$tmp/openbox.log" 2>&1 & pids="$! $pids"
/usr/libexec/at-spi-bus-launcher --launch-immediately >"$tmp/at-spi.log" 2>&1 & pids="$! $pids"
sleep 1
orca --replace -u "$tmp/orca-prefs" --debug-file "$out/orca-debug.log" >"$tmp/orca.out" 2>&1 & orca=$!; pids="$orca $pids"
for _ in $(seq 100); do grep -q "SPEECH OUTPUT" "$out/orca-debug.log" 2>/dev/null && break; sleep 0.2; done
sleep 2

# Qt warns about text events of labels (no text interface) on every screen: noise here, not a finding.
CALMPAY_DATA_DIR=$tmp/data CALMPAY_CONFIG_DIR=$tmp/config QT_QPA_PLATFORM=xcb \
  QT_LOGGING_RULES="qt.accessibility.atspi.warning=false" \
  .venv/bin/python -m devtools.orca_drive --out "$out" >"$out/drive.log" 2>&1
drive=$?
cat "$out/drive.log"
sleep 2
kill "$orca" 2>/dev/null; sleep 1
[ "$drive" -eq 0 ] || { echo "orca-check: the keyboard user could not finish (see $out/drive.log)"; exit 1; }
.venv/bin/python -m devtools.orca_log --log "$out/orca-debug.log" --seen "$out/seen.json"
