#!/usr/bin/env bash
# Nightly backup of the census database (see README, "Backups"): a custom-format pg_dump, kept
# for 30 days, and a restore drill of the new dump (npm run backup:verify) so that a backup that
# does not restore is noticed the same night. Run from cron or a systemd timer as the app user:
#   15 2 * * *  /opt/census/deploy/backup.sh
# Needs DATABASE_URL (the production database) in the environment, e.g. from /etc/census/census.env;
# RESTORE_URL, when set, is the PostgreSQL server the drill restores into (default: the same
# server; the role needs CREATEDB there).
set -euo pipefail
BACKUP_DIR="${BACKUP_DIR:-/var/backups/census}"
mkdir -p "$BACKUP_DIR"
dump="$BACKUP_DIR/census-$(date +%Y%m%d-%H%M%S).dump"
pg_dump --format=custom --no-owner --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
cd "$(dirname "$0")/.."
DATABASE_URL="${RESTORE_URL:-$DATABASE_URL}" node dist/src/cli/backupVerify.js "$dump"
find "$BACKUP_DIR" -name 'census-*.dump' -mtime +30 -delete
