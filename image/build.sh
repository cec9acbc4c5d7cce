#!/usr/bin/env bash
# Builds the container image the meta pipeline runs, as an OCI image layout, offline (no base
# image, no registry) and reproducibly: the same commit, built on a machine with the same
# packages, gives the same image digest. One layer, staged by image/rootfs.sh and written by
# GNU tar with sorted names, every timestamp at SOURCE_DATE_EPOCH and fixed numeric owners
# (root, except the user's home); umoci makes the image of it.
#
# usage: image/build.sh [--output DIR] [--binary FILE] [--user UID:GID]
#   --output DIR   the OCI image layout to write (default target/image/oci; replaced)
#   --binary FILE  put this edx-matrix in the image instead of `cargo build --release --locked`
#   --user UID:GID the user the image runs as (default 1000:1000, the image's `edx-matrix`);
#                  0:0 for a Concourse that leaves task outputs owned by root (docs/pipelines.md)
# environment:
#   SOURCE_DATE_EPOCH        the time of every file and of the image (default: HEAD's commit time)
#   EDX_MATRIX_IMAGE_SOURCE  the org.opencontainers.image.source label (default: the workspace's
#                            `repository` in Cargo.toml)
#   EDX_MATRIX_IMAGE_GIT, EDX_MATRIX_IMAGE_CA: see image/rootfs.sh
# prints: the image as `oci:DIR:TAG` (the tag is the binary's version) and its digest.
# needs: umoci, GNU tar, ldd, strip, git, ca-certificates
#        (Debian: apt-get install umoci binutils git ca-certificates)
set -euo pipefail
cd "$(dirname "$0")/.."

output=target/image/oci
binary=
user=1000:1000
while [ $# -gt 0 ]; do
  case $1 in
    --output) output=${2:?--output needs a directory}; shift 2 ;;
    --binary) binary=${2:?--binary needs a file}; shift 2 ;;
    --user) user=${2:?--user needs UID:GID}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ $user =~ ^[0-9]+:[0-9]+$ ]]; then
  echo "error: --user takes numeric UID:GID, not $user" >&2
  exit 2
fi
for tool in umoci tar ldd git; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool is missing (Debian: apt-get install umoci tar libc-bin git)" >&2
    exit 1
  fi
done

if [ -z "$binary" ]; then
  cargo build --release --locked
  binary=target/release/edx-matrix
fi
# `edx-matrix 0.1.0`: the image is tagged with the version of the binary inside, which is the
# tag `pipeline meta` names by default.
version=$("$binary" --version | awk '{ print $2 }')
if [ -z "$version" ]; then
  echo "error: $binary --version printed no version" >&2
  exit 1
fi
revision=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "warning: uncommitted changes: the image is labelled $revision but is not that commit" >&2
fi
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
source=${EDX_MATRIX_IMAGE_SOURCE:-$(sed -n 's/^repository *= *"\(.*\)"$/\1/p' Cargo.toml | head -n 1)}
case $(uname -m) in
  x86_64) architecture=amd64 ;;
  aarch64) architecture=arm64 ;;
  *) architecture=$(uname -m) ;;
esac
licenses=$(sed -n 's/^license *= *"\(.*\)"$/\1/p' Cargo.toml | head -n 1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
image/rootfs.sh "$binary" "$work/rootfs"

# The layer: everything owned by root, then the user's home owned by the user.
home=home/edx-matrix
# shellcheck disable=SC2054 # the commas belong to --pax-option
tar_options=(--format=posix --numeric-owner --mtime="@$epoch"
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
mapfile -t top < <(cd "$work/rootfs" && LC_ALL=C ls -A)
LC_ALL=C tar --create --file "$work/layer.tar" --directory "$work/rootfs" --sort=name \
  "${tar_options[@]}" --owner=0 --group=0 --exclude="./$home" --exclude="$home" "${top[@]}"
LC_ALL=C tar --append --file "$work/layer.tar" --directory "$work/rootfs" --no-recursion \
  "${tar_options[@]}" --owner=1000 --group=1000 "$home"

rm -rf "$output"
mkdir -p "$(dirname "$output")"
image="$output:$version"
umoci init --layout "$output"
umoci new --image "$image"
umoci raw add-layer --image "$image" --history.created "$created" \
  --history.created_by "image/build.sh" --history.comment "edx-matrix $version" "$work/layer.tar"
umoci config --image "$image" --no-history --created "$created" --author "image/build.sh" \
  --architecture "$architecture" --os linux \
  --config.user "$user" \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin \
  --config.env HOME=/home/edx-matrix \
  --config.env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --config.workingdir /home/edx-matrix \
  --config.entrypoint edx-matrix \
  --config.cmd --help \
  --config.label "org.opencontainers.image.title=edx-matrix" \
  --config.label "org.opencontainers.image.description=The edx-matrix binary, git and CA certificates: the image the meta pipeline renders pipelines with" \
  --config.label "org.opencontainers.image.source=$source" \
  --config.label "org.opencontainers.image.revision=$revision" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.licenses=$licenses" \
  --config.label "org.opencontainers.image.created=$created"
umoci gc --layout "$output"

digest=$(grep -o '"digest":"sha256:[0-9a-f]*"' "$output/index.json" | head -n 1 | cut -d'"' -f4)
echo "image: oci:$image"
echo "digest: $digest"
