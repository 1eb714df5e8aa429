#!/usr/bin/env bash
# Skiff stand-in for the official mariadb (and mysql) image's entrypoint, on Debian's mariadb-server:
# MARIADB_* variables, each falling back to its MYSQL_* twin; initdb scripts on first start; runs as mysql.
set -eo pipefail
shopt -s nullglob

mysql_log() { local type="$1"; shift; printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"; }
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() { mysql_log ERROR "$@" >&2; exit 1; }

# usage: file_env VAR [DEFAULT]; VAR_FILE reads the value from a file; MARIADB_X falls back to MYSQL_X.
file_env() {
  local var="$1" mysqlVar="${1/#MARIADB_/MYSQL_}" val="${2:-}" v
  for v in "$var" "${var}_FILE" "$mysqlVar" "${mysqlVar}_FILE"; do
    if [ "${!v:-}" ]; then
      case "$v" in *_FILE) val="$(< "${!v}")" ;; *) val="${!v}" ;; esac
      break
    fi
  done
  export "$var"="$val"
  unset "${var}_FILE" "${mysqlVar}_FILE"
}

mysql_get_config() {  # the effective value of a server option, as the server itself resolves it
  "$2" --verbose --help 2>/dev/null | awk -v conf="$1" '$1 == conf && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

docker_setup_env() {
  declare -g DATADIR SOCKET
  DATADIR="$(mysql_get_config 'datadir' "$1")"
  SOCKET="$(mysql_get_config 'socket' "$1")"
  file_env 'MARIADB_ROOT_HOST' '%'
  file_env 'MARIADB_DATABASE'
  file_env 'MARIADB_USER'
  file_env 'MARIADB_PASSWORD'
  file_env 'MARIADB_ROOT_PASSWORD'
  : "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
  : "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
  export MARIADB_ALLOW_EMPTY_ROOT_PASSWORD MARIADB_RANDOM_ROOT_PASSWORD
  DATABASE_ALREADY_EXISTS=
  if [ -d "$DATADIR/mysql" ]; then DATABASE_ALREADY_EXISTS='true'; fi
}

docker_verify_minimum_env() {
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    mysql_error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
  fi
  if [ "$MARIADB_USER" = 'root' ]; then
    mysql_error 'MARIADB_USER="root", MARIADB_USER and MARIADB_PASSWORD are for configuring the regular user and cannot be used for the root user'
  fi
  if [ -n "$MARIADB_USER" ] && [ -z "$MARIADB_PASSWORD" ]; then
    mysql_warn 'MARIADB_USER specified, but missing MARIADB_PASSWORD; MARIADB_USER will not be created'
  fi
}

docker_create_db_directories() {
  mkdir -p "$DATADIR" /run/mysqld
  if [ "$(id -u)" = '0' ]; then
    find "$DATADIR" /run/mysqld \! -user mysql -exec chown mysql: '{}' +
  fi
}

docker_process_sql() {  # over the socket, as root; pass --database=... first when needed
  local passfile=()
  if [ -n "$MARIADB_ROOT_PASSWORD" ]; then passfile=("--password=$MARIADB_ROOT_PASSWORD"); fi
  mariadb --no-defaults --protocol=socket -uroot -hlocalhost --socket="$SOCKET" "${passfile[@]}" "$@"
}

docker_temp_server_start() {
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF --expire-logs-days=0 \
    --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 &
  declare -g MARIADB_PID=$!
  mysql_note "Waiting for server startup"
  local i
  for i in {30..0}; do
    if MARIADB_ROOT_PASSWORD= docker_process_sql --database=mysql <<<'SELECT 1' &>/dev/null; then break; fi
    sleep 1
  done
  [ "$i" != 0 ] || mysql_error "Unable to start server."
}

docker_temp_server_stop() {
  kill "$MARIADB_PID"
  wait "$MARIADB_PID"
}

sql_escape_string_literal() {
  local escaped="${1//\\/\\\\}"
  echo "${escaped//\'/\\\'}"
}

docker_setup_db() {
  if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    MARIADB_ROOT_PASSWORD="$(head -c 24 /dev/urandom | base64)"
    export MARIADB_ROOT_PASSWORD
    mysql_note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
  fi
  local rootPw userPw rootCreate= userCreate= dbCreate=
  rootPw="$(sql_escape_string_literal "$MARIADB_ROOT_PASSWORD")"
  if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != 'localhost' ]; then
    rootCreate="CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY '${rootPw}';
      GRANT ALL ON *.* TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;
      GRANT PROXY ON ''@'%' TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
  fi
  if [ -n "$MARIADB_DATABASE" ]; then
    mysql_note "Creating database ${MARIADB_DATABASE}"
    dbCreate="CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\`;"
  fi
  if [ -n "$MARIADB_USER" ] && [ -n "$MARIADB_PASSWORD" ]; then
    mysql_note "Creating user ${MARIADB_USER}"
    userPw="$(sql_escape_string_literal "$MARIADB_PASSWORD")"
    userCreate="CREATE USER '${MARIADB_USER}'@'%' IDENTIFIED BY '${userPw}';"
    if [ -n "$MARIADB_DATABASE" ]; then
      mysql_note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
      userCreate+="GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '${MARIADB_USER}'@'%';"
    fi
  fi
  mysql_note "Securing system users (equivalent to running mysql_secure_installation)"
  MARIADB_ROOT_PASSWORD= docker_process_sql --database=mysql --binary-mode <<-EOSQL
		SET @@SESSION.SQL_LOG_BIN=0;
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		DELETE FROM mysql.user WHERE user='' OR host NOT IN ('localhost', '%');
		SET PASSWORD FOR 'root'@'localhost' = PASSWORD('${rootPw}');
		${rootCreate}
		${dbCreate}
		${userCreate}
		FLUSH PRIVILEGES;
	EOSQL
}

docker_process_init_files() {
  local f
  echo
  for f in "$@"; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then mysql_note "$0: running $f"; "$f"; else mysql_note "$0: sourcing $f"; . "$f"; fi ;;
      *.sql) mysql_note "$0: running $f"; docker_process_sql ${MARIADB_DATABASE:+"--database=$MARIADB_DATABASE"} < "$f"; echo ;;
      *.sql.gz) mysql_note "$0: running $f"; gunzip -c "$f" | docker_process_sql ${MARIADB_DATABASE:+"--database=$MARIADB_DATABASE"}; echo ;;
      *) mysql_warn "$0: ignoring $f" ;;
    esac
  done
}

_main() {
  if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi

  if [ "$1" = 'mariadbd' ] || [ "$1" = 'mysqld' ]; then
    mysql_note "Entrypoint script for MariaDB Server (Skiff test image) started."
    docker_setup_env "$@"
    docker_create_db_directories
    if [ "$(id -u)" = '0' ]; then
      mysql_note "Switching to dedicated user 'mysql'"
      exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH_SOURCE" "$@"
    fi

    if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
      docker_verify_minimum_env
      ls /docker-entrypoint-initdb.d/ > /dev/null
      mysql_note "Initializing database files"
      mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal --skip-test-db \
        --old-mode='UTF8_IS_UTF8MB3' --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin \
        --expire-logs-days=0 --loose-innodb_buffer_pool_load_at_startup=0 \
        --loose-innodb_buffer_pool_dump_at_shutdown=0 > /dev/null
      mysql_note "Database files initialized"
      mysql_note "Starting temporary server"
      docker_temp_server_start "$@"
      mysql_note "Temporary server started."
      docker_setup_db
      docker_process_init_files /docker-entrypoint-initdb.d/*
      mysql_note "Stopping temporary server"
      docker_temp_server_stop
      mysql_note "Temporary server stopped"
      echo
      mysql_note "MariaDB init process done. Ready for start up."
      echo
    fi
  fi
  exec "$@"
}

_main "$@"
