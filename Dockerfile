# harden as a container image, for GitLab CI and other systems that run jobs in images:
#   docker build -t harden . && docker run --rm -v "$PWD:/src" harden check --profile strict
# A static musl binary on an empty base: no shell, no package manager, nothing else to patch.
# The builder is pinned by digest; the readable tag is kept for reviewers (Dependabot bumps both).
FROM rust:1.95-alpine@sha256:606fd313a0f49743ee2a7bd49a0914bab7deedb12791f3a846a34a4711db7ed2 AS builder
# tree-sitter's parsers are C: the compiler and musl's headers.
RUN apk add --no-cache gcc=~14 musl-dev=~1.2
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY checks checks
COPY templates templates
RUN cargo build --release --locked --bin harden \
    && strip target/release/harden

FROM scratch
COPY --from=builder /build/target/release/harden /usr/local/bin/harden
# No root in the image: a numeric user, since an empty base has no /etc/passwd.
USER 65532:65532
WORKDIR /src
# A command-line tool, not a service: there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/harden"]
CMD ["check", "."]
