# The edx-matrix image for those who build with Docker: the same files as image/build.sh (the
# offline, reproducible build that CI tests; see docs/pipelines.md), staged by the same script,
# with the same user, environment and labels. On a Debian bookworm base, as CI.
#
#   docker build -t ghcr.io/acme-edu/edx-matrix:0.1.0 --build-arg VERSION=0.1.0 \
#     --build-arg REVISION="$(git rev-parse HEAD)" --build-arg SOURCE=https://github.com/acme-edu/edx-matrix .
FROM docker.io/library/rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM docker.io/library/debian:bookworm-slim AS stage
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates binutils \
    && rm -rf /var/lib/apt/lists/*
COPY image/rootfs.sh /rootfs.sh
COPY --from=build /src/target/release/edx-matrix /edx-matrix
RUN /rootfs.sh /edx-matrix /rootfs

FROM scratch
COPY --from=stage /rootfs/ /
COPY --from=stage --chown=1000:1000 /rootfs/home/edx-matrix/ /home/edx-matrix/
USER 1000:1000
ENV PATH=/usr/local/bin:/usr/bin:/bin
ENV HOME=/home/edx-matrix
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /home/edx-matrix
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://example.invalid/edx-matrix
LABEL org.opencontainers.image.title="edx-matrix" \
      org.opencontainers.image.description="The edx-matrix binary, git and CA certificates: the image the meta pipeline renders pipelines with" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
ENTRYPOINT ["edx-matrix"]
CMD ["--help"]
