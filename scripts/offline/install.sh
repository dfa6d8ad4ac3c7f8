#!/bin/sh
# Offline install of crossinspect from the wheels beside this script (Linux x86_64).
#
#   sh install.sh [TARGET_DIR]        default TARGET_DIR: $HOME/crossinspect
#
# Set PYTHON to choose the interpreter; otherwise python3.12, python3.11 and python3 are
# tried in that order. The bundle holds wheels for CPython 3.11 and 3.12 on x86_64 with
# glibc >= @GLIBC@.
#
# Nothing here touches the network: pip runs with --no-index and ignores pip.conf and
# PIP_* variables (a find-links or index set there must not leak into an offline install),
# so only the wheels in this bundle can be installed.
set -eu

case "${1:-}" in
    -h | --help)
        sed -n '2,12s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    -*)
        printf '%s\n' "未知选项：$1" "Unknown option $1; usage: sh install.sh [TARGET_DIR]" >&2
        exit 2
        ;;
esac

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
wheels="$here/wheels"
target=${1:-"$HOME/crossinspect"}

fail() {
    printf '%s\n' "$@" >&2
    exit 1
}

[ -d "$wheels" ] || fail "找不到 wheels 目录：$wheels。请先完整解压安装包。" \
    "No wheels directory at $wheels: unpack the whole bundle first."

# Run by each candidate interpreter: prints why it cannot be used, exits 1 if so.
# A candidate may be on PATH and still not run (a pyenv shim for an inactive version).
check='
import platform, sys
problems = []
if sys.version_info[:2] not in ((3, 11), (3, 12)):
    problems.append("Python %d.%d (3.11 or 3.12 needed)" % sys.version_info[:2])
if platform.machine() != "x86_64":
    problems.append("%s (x86_64 needed)" % platform.machine())
libc, version = platform.libc_ver()
try:
    glibc = tuple(int(part) for part in version.split(".")[:2])
except ValueError:
    glibc = ()
if libc != "glibc" or glibc < (@GLIBC_TUPLE@):
    problems.append("C library %s %s (glibc >= @GLIBC@ needed)" % (libc or "unknown", version))
try:
    import ensurepip, venv
except ImportError:
    problems.append("no venv/ensurepip module (Debian, Ubuntu: install python3.X-venv)")
print("; ".join(problems))
sys.exit(1 if problems else 0)
'

python=""
reasons=""
try_python() {
    if ! command -v "$1" >/dev/null 2>&1; then
        reasons="$reasons
  $1: not found"
        return 1
    fi
    if reason=$("$1" -c "$check" 2>&1); then
        python=$1
        return 0
    fi
    reasons="$reasons
  $1: $reason"
    return 1
}

if [ -e "$target" ] && [ ! -f "$target/pyvenv.cfg" ] && [ -n "$(ls -A "$target" 2>/dev/null)" ]; then
    fail "目标目录已存在且不是 crossinspect 的环境：$target。请换一个目录。" \
        "$target exists and is not a virtual environment; choose another directory."
fi

# An earlier install is upgraded with its own interpreter, so a second Python on the
# machine cannot end up beside the first one's compiled wheels.
if [ -f "$target/pyvenv.cfg" ]; then
    try_python "$target/bin/python" || fail "已有的环境 $target 无法使用，请删除该目录后重新安装。" \
        "The existing environment $target cannot be used; remove it and install again.$reasons"
elif [ -n "${PYTHON:-}" ]; then
    try_python "$PYTHON" || true
else
    for candidate in python3.12 python3.11 python3; do
        try_python "$candidate" && break
    done
fi
[ -n "$python" ] || fail "找不到可用的 Python 3.11 或 3.12（64 位，glibc >= @GLIBC@）。请先安装，或用 PYTHON=/路径/python3.12 指定。" \
    "No usable Python 3.11 or 3.12 (x86_64, glibc >= @GLIBC@); install one or point PYTHON at it.$reasons"

printf '%s\n' "使用 Python（using）：$("$python" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
[ -f "$target/pyvenv.cfg" ] || "$python" -m venv "$target"
target=$(CDPATH='' cd -- "$target" && pwd)
PIP_CONFIG_FILE=/dev/null "$target/bin/python" -m pip --isolated --disable-pip-version-check \
    install --no-index --find-links "$wheels" --only-binary=:all: --upgrade crossinspect

version=$("$target/bin/python" -c 'import importlib.metadata as m; print(m.version("crossinspect"))')
cat <<DONE

crossinspect $version 已安装到 $target（installed）。
运行（run）：
  $target/bin/crossinspect --help
  $target/bin/crossinspect example 示例
  $target/bin/crossinspect solve 示例/rotation/input.xlsx --rules 示例/rotation/rules.toml -o 名单.xlsx
想直接输入 crossinspect，可把 $target/bin 加入 PATH（add it to PATH），例如：
  ln -s "$target/bin/crossinspect" "\$HOME/.local/bin/crossinspect"
DONE
