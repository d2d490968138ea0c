# Kring as a container: a release build on Debian, run from /app (templates and assets beside
# the binary).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin kring

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/kring /usr/local/bin/kring
COPY templates ./templates
COPY assets ./assets
ENV KRING_BIND=0.0.0.0:8080 KRING_DATA_DIR=/data
EXPOSE 8080
VOLUME /data
CMD ["kring", "serve"]
