#!/bin/sh
# The Debian packages CalmPay needs: speech (espeak-ng, aplay from alsa-utils), CJK fonts, DejaVu Sans (English
# receipts), the xcb libraries Qt's platform plugins load, a virtual X server for screenshots, a QR decoder and
# libfaketime for tests; a private D-Bus session (dbus-run-session), the accessibility bus (at-spi2-core) and a
# Secret Service keyring (gnome-keyring) for the tests that drive the kiosk over AT-SPI and keep its device key.
# As root they are installed; otherwise the exact command to run is printed.
set -eu

PACKAGES="espeak-ng alsa-utils fonts-noto-cjk fonts-dejavu-core xvfb xauth zbar-tools faketime
libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1
libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 dbus-daemon at-spi2-core gnome-keyring"

command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system; install the equivalents of: $PACKAGES" | tr '\n' ' '; echo; exit 0; }

missing=""
for package in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $package" ;;
    esac
done
# Debian's own Python needs python3-venv to make the virtual environment.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing="$missing python3-venv"
fi

[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "system-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "system-deps: these Debian packages are missing. Install them with:"
    echo "    sudo apt-get install -y$missing"
    exit 1
fi
