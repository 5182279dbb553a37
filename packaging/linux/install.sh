#!/usr/bin/env bash
# Install the built PortWatch folder (this script's folder: packaging/build.sh
# copies it there) so that it starts from the desktop menu and as `portwatch`.
#   ./install.sh                    # for you: under ~/.local
#   sudo ./install.sh --prefix /usr/local    # for everyone on the machine
#   ./install.sh --uninstall [--prefix DIR]  # take it away again
# The folder goes to PREFIX/lib/portwatch, the command to PREFIX/bin/portwatch,
# the menu entry, icons and AppStream metainfo under PREFIX/share. Nothing is
# fetched from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix="$HOME/.local"
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    *) echo "usage: ./install.sh [--prefix DIR] [--uninstall]" >&2; exit 2 ;;
  esac
done
id=org.portwatch.PortWatch
app="$prefix/lib/portwatch"
share="$prefix/share"
sizes=(16 32 48 64 128 256)

installed=("$prefix/bin/portwatch" "$share/applications/$id.desktop" "$share/metainfo/$id.metainfo.xml"
  "$share/icons/hicolor/scalable/apps/$id.svg")
for size in "${sizes[@]}"; do installed+=("$share/icons/hicolor/${size}x${size}/apps/$id.png"); done

if [ "$uninstall" = 1 ]; then
  rm -f "${installed[@]}"
  rm -rf "$app"
  echo "PortWatch removed from $prefix (your settings and history stay in your home folder)"
  exit 0
fi
[ -x "$here/portwatch" ] || { echo "$here/portwatch: not a built PortWatch folder" >&2; exit 2; }

if [ "$here" != "$app" ]; then
  rm -rf "$app"
  mkdir -p "$(dirname "$app")"
  cp -a "$here" "$app"  # -a keeps the build's symbolic links
fi
mkdir -p "$prefix/bin" "$share/applications" "$share/metainfo" "$share/icons/hicolor/scalable/apps"
ln -sfn "$app/portwatch" "$prefix/bin/portwatch"
# The menu starts the program by its full path: PREFIX/bin need not be on PATH.
sed "s|^Exec=portwatch|Exec=$app/portwatch|" "$here/$id.desktop" > "$share/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$share/metainfo/"
icons="$here/_internal/portwatch/resources/icons"
cp "$icons/portwatch.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
for size in "${sizes[@]}"; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$icons/portwatch-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$id.png"
done
echo "PortWatch installed in $app: in the desktop menu, and as $prefix/bin/portwatch"
