#!/bin/bash
# The backend role (the image's CMD): bench serve on 0.0.0.0:8000. frappe_docker's gunicorn
# settings keep their names: GUNICORN_TIMEOUT (default 120) is the request timeout, after which
# a request is cancelled and answered 504. GUNICORN_WORKERS and GUNICORN_THREADS size gunicorn's
# pool of processes and threads; Kestrel serves every request concurrently in one process on
# all cores, so there is nothing to size and they are only reported.
set -e
timeout=${GUNICORN_TIMEOUT:-120}
echo "Starting bench serve on 0.0.0.0:8000 (request timeout ${timeout} s; GUNICORN_WORKERS=${GUNICORN_WORKERS:-} GUNICORN_THREADS=${GUNICORN_THREADS:-} do not apply to Kestrel)"
exec bench serve --bind 0.0.0.0 --port 8000 --timeout "$timeout"
