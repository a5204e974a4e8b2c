# Builds the one techbridge binary. Pure Go (modernc SQLite), so CGO is off
# and the runtime image needs nothing but CA certificates.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/techbridge ./cmd/techbridge

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /data techbridge \
    && mkdir -p /data && chown techbridge /data
COPY --from=build /out/techbridge /usr/local/bin/techbridge
USER techbridge
ENV TECHBRIDGE_ADDR=0.0.0.0:8080 TECHBRIDGE_DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["techbridge"]
CMD ["serve"]
