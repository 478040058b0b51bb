# syntax=docker/dockerfile:1
# One production image for every part of the wall; compose.yaml runs each part as its own service:
#   docker run IMAGE web|gateway|feeds [--host 0.0.0.0] ...   (and token, user, check, ...)
# Build stage: wheels for opswall and its pinned dependencies (nothing compiles in the runtime).
FROM python:3.11.14-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY opswall ./opswall
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres]"

# Runtime stage: the wheels, the wall config and its catalogue; no compilers, no pip cache.
FROM python:3.11.14-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPSWALL_HEALTH_URL=http://127.0.0.1:8050/healthz
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels "opswall[postgres]==0.1.0" \
    && rm -rf /wheels \
    && groupadd --gid 10001 opswall \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app opswall \
    && mkdir -p /app/.opswall/media \
    && chown -R 10001:10001 /app/.opswall
WORKDIR /app
COPY --chown=10001:10001 wall_config.yaml app.py ./
COPY --chown=10001:10001 catalogue ./catalogue

# Numeric ids so Kubernetes' runAsNonRoot can verify them without /etc/passwd.
USER 10001:10001
EXPOSE 8050 8051
# The web part answers on 8050; gateway services set OPSWALL_HEALTH_URL to :8051/healthz. A
# gateway reports 503 while Redis is unreachable, so an orchestrator sees the outage.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['OPSWALL_HEALTH_URL'], timeout=2)"]
ENTRYPOINT ["opswall"]
CMD ["web", "--host", "0.0.0.0"]
