# One image for every Groundswell process: `groundswell serve` (the default CMD) and `groundswell worker`.
# Installed from the same lock file as `make test` and `make demo`; runs offline, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    GROUNDSWELL_DATA_DIR=/data

WORKDIR /app
COPY . .
RUN pip install -c requirements.lock . \
    && useradd --system --create-home --uid 10001 groundswell \
    && mkdir -p /data \
    && chown groundswell:groundswell /data

USER groundswell
VOLUME ["/data"]
EXPOSE 8000

# No curl in slim images: probe /healthz with the standard library. Workers override or disable this in compose.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["groundswell", "serve", "--host", "0.0.0.0", "--port", "8000"]
