# One image for every part: docker run IMAGE run|web|gateway|feeds [options]
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    OPSWALL_HEALTH_URL=http://127.0.0.1:8050/healthz

WORKDIR /app
COPY pyproject.toml README.md ./
COPY opswall ./opswall
RUN pip install --no-cache-dir ".[postgres]" \
    && useradd --create-home --uid 10001 opswall \
    && mkdir -p /app/.opswall && chown opswall /app/.opswall
COPY wall_config.yaml app.py ./

USER opswall
EXPOSE 8050 8051
# Gateway containers set OPSWALL_HEALTH_URL=http://127.0.0.1:8051/healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['OPSWALL_HEALTH_URL'], timeout=2)"]
ENTRYPOINT ["opswall"]
CMD ["run", "--host", "0.0.0.0"]
