#!/usr/bin/env bash
# Stages the root filesystem of the edx-matrix image in DEST (which must not exist):
#
#   usr/local/bin/edx-matrix           the binary given, without debug information
#   usr/bin/git + git's remote helpers what `verify-refs` and the git commands need at run time
#                                      (https via git-remote-https, git:// and local paths built in)
#   every shared library `ldd` names for those programs, at their paths (merged /usr: /lib,
#   /lib64 and /bin are symbolic links into /usr, as on Debian)
#   etc/ssl/certs/ca-certificates.crt  the CA bundle (git-remote-https verifies against it)
#   etc/passwd, etc/group              root and the user the image runs as: edx-matrix (1000:1000)
#   etc/nsswitch.conf                  files, then DNS
#   home/edx-matrix, tmp
#
# Nothing else: no shell, no package manager. Used by image/build.sh (the offline build) and by
# the Dockerfile, so both give the same files. Owners and timestamps are set when the layer is
# written (image/build.sh); here only the modes are made canonical.
#
# usage: image/rootfs.sh BINARY DEST
# environment: EDX_MATRIX_IMAGE_GIT  the git to copy (default /usr/bin/git, else git on PATH)
#              EDX_MATRIX_IMAGE_CA   the CA bundle (default /etc/ssl/certs/ca-certificates.crt)
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BINARY DEST" >&2
  exit 2
fi
binary=$1
dest=$2
if [ ! -x "$binary" ]; then
  echo "error: $binary is not an executable file" >&2
  exit 1
fi
if [ -e "$dest" ]; then
  echo "error: $dest already exists" >&2
  exit 1
fi

git_bin=${EDX_MATRIX_IMAGE_GIT:-}
if [ -z "$git_bin" ]; then
  if [ -x /usr/bin/git ]; then git_bin=/usr/bin/git; else git_bin=$(command -v git); fi
fi
ca=${EDX_MATRIX_IMAGE_CA:-/etc/ssl/certs/ca-certificates.crt}
if ! command -v strip >/dev/null; then
  echo "error: strip is missing (Debian: apt-get install binutils)" >&2
  exit 1
fi
for needed in "$git_bin" "$ca"; do
  if [ ! -f "$needed" ]; then
    echo "error: $needed is missing (Debian: apt-get install git ca-certificates)" >&2
    exit 1
  fi
done
# git finds its helpers in the directory compiled into it: they go to the same place.
exec_path=$("$git_bin" --exec-path)
prefix=$(dirname "$(dirname "$exec_path")")

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# The image path of a host path: /lib and /lib64 are links into /usr in the image.
image_path() {
  case $1 in
    /lib/* | /lib64/* | /bin/* | /sbin/*) printf '/usr%s\n' "$1" ;;
    *) printf '%s\n' "$1" ;;
  esac
}

# Copies the file at host path $1 to image path $2 (content, not the link).
put() {
  mkdir -p "$dest$(dirname "$2")"
  cp --dereference "$1" "$dest$2"
}

# Copies a shared library ldd named: its real file, and the name ldd used as a link to it
# when that is a link on the host (libfoo.so.1 -> libfoo.so.1.2.3).
put_library() {
  local named=$1 real
  real=$(readlink -f "$named")
  local at_real at_named
  at_real=$(image_path "$real")
  at_named=$(image_path "$named")
  [ -e "$dest$at_real" ] || put "$real" "$at_real"
  if [ "$at_named" != "$at_real" ] && [ ! -e "$dest$at_named" ] && [ ! -L "$dest$at_named" ]; then
    mkdir -p "$dest$(dirname "$at_named")"
    ln -s "$at_real" "$dest$at_named"
  fi
}

for link in bin lib lib64 sbin; do
  mkdir -p "$dest/usr/$link"
  ln -s "usr/$link" "$dest/$link"
done

# Without its debug line tables (the release profile keeps them: 139 MB against 28): symbols stay,
# so a backtrace still names functions.
mkdir -p "$dest/usr/local/bin"
strip --strip-debug -o "$dest/usr/local/bin/edx-matrix" "$binary"
put "$git_bin" "$(image_path "$git_bin")"
programs=("$dest/usr/local/bin/edx-matrix" "$dest$(image_path "$git_bin")")
# git runs `git-remote-https` for https:// remotes and `git-upload-pack` for local ones; git://
# is built in. `git` in the exec path is the same program (git looks there first).
mkdir -p "$dest$exec_path"
ln -s "$(image_path "$git_bin")" "$dest$exec_path/git"
ln -s git "$dest$exec_path/git-upload-pack"
http=$exec_path/git-remote-http
put "$http" "$http"
programs+=("$dest$http")
for alias in git-remote-https git-remote-ftp git-remote-ftps; do
  ln -s git-remote-http "$dest$exec_path/$alias"
done
# `git init` and `git clone` copy this directory; empty, they do not warn.
mkdir -p "$dest$prefix/share/git-core/templates"

libraries=()
for program in "${programs[@]}"; do
  if ! linked=$(ldd "$program"); then
    echo "error: ldd $program failed" >&2
    exit 1
  fi
  if grep -q 'not found' <<<"$linked"; then
    echo "error: $program needs a library this machine lacks:" >&2
    grep 'not found' <<<"$linked" >&2
    exit 1
  fi
  # `name => /path (0x…)`, and the interpreter as `/path (0x…)`; linux-vdso has no file.
  mapfile -t -O "${#libraries[@]}" libraries \
    < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$linked")
done
while read -r library; do
  put_library "$library"
done < <(printf '%s\n' "${libraries[@]}" | LC_ALL=C sort -u)

put "$ca" /etc/ssl/certs/ca-certificates.crt
mkdir -p "$dest/etc"
cat >"$dest/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/usr/sbin/nologin
edx-matrix:x:1000:1000:edx-matrix:/home/edx-matrix:/usr/sbin/nologin
PASSWD
cat >"$dest/etc/group" <<'GROUP'
root:x:0:
edx-matrix:x:1000:
GROUP
cat >"$dest/etc/nsswitch.conf" <<'NSS'
passwd: files
group:  files
hosts:  files dns
NSS
mkdir -p "$dest/home/edx-matrix" "$dest/root" "$dest/tmp"

# Canonical modes whatever the umask: programs and libraries 0755, other files 0644.
find "$dest" -type d -exec chmod 0755 {} +
find "$dest" -type f -exec chmod 0644 {} +
find "$dest/usr" -type f \( -path '*/bin/*' -o -path "*$exec_path/*" -o -name '*.so*' \) \
  -exec chmod 0755 {} +
chmod 0700 "$dest/root"
chmod 1777 "$dest/tmp"
