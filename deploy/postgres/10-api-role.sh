#!/bin/sh
# Runs once, when the postgres container initialises its data folder: the login role of the api service.
# Its grants (read everything, write silences and acknowledgements) come from `vigil migrate --api-role`.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE vigil_api LOGIN PASSWORD '${VIGIL_API_DB_PASSWORD:-vigil-api}';
SQL
