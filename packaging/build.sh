#!/usr/bin/env bash
# Build PortWatch as an application: a PyInstaller one-folder build that runs on a
# machine without Python or internet, with the demo port and resources inside.
#   bash packaging/build.sh                 # dist/portwatch/, executable dist/portwatch/portwatch
#   bash packaging/build.sh --dist DIR      # DIR/portwatch/ instead
#   bash packaging/build.sh --archive       # and dist/portwatch-VERSION-linux-ARCH.tar.gz
# PortWatch is built into a wheel and installed (not editable) into a build
# environment, build/venv (made once, then reused), with PyInstaller; the spec
# (packaging/portwatch.spec) freezes that installed package, never the checkout.
# The folder also gets LICENSE, the desktop entry, the AppStream metainfo and
# install.sh, which puts it in the desktop menu (see docs/install.md). On Windows:
# packaging/build.ps1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/dist"
archive=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --archive) archive=1; shift ;;
    *) echo "usage: bash packaging/build.sh [--dist DIR] [--archive]" >&2; exit 2 ;;
  esac
done
started_s=$SECONDS
venv="$root/build/venv"
python=${PYTHON:-python3}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
"${pip[@]}" "pyinstaller>=6.10,<7"

# The compiled decoders (mypyc) go into the wheel, and so into the app, when they
# build; without them the app runs the pure-Python decoders (`--version` says which).
"$venv/bin/python" "$root/packaging/build_accelerator.py" --install ||
  echo "note: the compiled decoders were not built: the app runs the pure-Python ones" >&2

# setuptools keeps build/lib between builds: a module deleted from the checkout
# would live on in the wheel. A wheel of the checkout as it is now, then.
rm -rf "$root/build/lib" "$root/build/bdist."* "$root/build/wheel"
"$venv/bin/python" -m pip wheel -q --no-deps --wheel-dir "$root/build/wheel" "$root"
wheel=$(ls "$root"/build/wheel/portwatch-*.whl)
"${pip[@]}" "$wheel"
"${pip[@]}" --force-reinstall --no-deps "$wheel"  # the same version number, new code

# Not from the checkout's root: there its portwatch/ folder would shadow the
# installed package (the spec refuses to build from it).
cd "$root/build"
"$venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$dist" \
  --workpath "$root/build/pyinstaller" "$root/packaging/portwatch.spec"
app="$dist/portwatch"
cp "$root/LICENSE" "$app/LICENSE"
cp "$root/packaging/linux/org.portwatch.PortWatch.desktop" \
  "$root/packaging/linux/org.portwatch.PortWatch.metainfo.xml" \
  "$root/packaging/linux/install.sh" "$app/"

version=$("$app/portwatch" --version | awk 'NR == 1 {print $2}')
echo "$app: portwatch $version, $(du -sh "$app" | cut -f1), built in $((SECONDS - started_s)) s"
if [ "$archive" = 1 ]; then
  tarball="$dist/portwatch-$version-linux-$(uname -m).tar.gz"
  tar -C "$dist" -czf "$tarball" portwatch  # tar keeps the build's symbolic links
  echo "$tarball: $(du -sh "$tarball" | cut -f1)"
fi
