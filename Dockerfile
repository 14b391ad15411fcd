# Completions Playground: docker build -t playground . && docker run -p 8501:8501 playground
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY streamlit_app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY lib ./lib
COPY pages ./pages
# The modules' bytecode compiled now: with PYTHONDONTWRITEBYTECODE (and an unprivileged user who
# could not write it anyway) every container would otherwise compile lib/ again for its first
# visitor, about half a second of the first screen. (Streamlit runs the page scripts from
# their source.)
RUN python -m compileall -q lib

# On the internet this container must sit behind a reverse proxy that authenticates visitors
# and limits request bodies and rates (README, Hosting, "On the internet: required"):
# Streamlit's upload route and websocket answer before the app's own password gate runs.
#
# Run as an unprivileged user; settings come in at run time: a mounted secrets.toml, or
# environment variables of the same names (OPENAI_API_KEY, OPENAI_BASE_URL, LOCK_BASE_URL,
# APP_PASSWORD), read the same way by lib/config/settings.py.
RUN useradd --create-home --uid 10001 playground
USER playground

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"

CMD ["streamlit", "run", "streamlit_app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
