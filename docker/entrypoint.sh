#!/bin/sh
# Runs the app this image was built for (MATRIX_APP, set from the APP build argument) as PID 1, so
# SIGTERM reaches node directly: no arguments serves; `migrate` or `provision` run once and exit.
set -eu
: "${MATRIX_APP:?MATRIX_APP is not set: build the image with --build-arg APP=<app>}"
exec node --enable-source-maps "/app/dist/apps/${MATRIX_APP}/main.cjs" "$@"
