# Shared by bench/run and bench/scale; sourced, not run. The caller has set $here (this directory), made the
# repository its working directory and set BENCH_TOOL (its name, for messages). Sourcing it creates the work
# directory and the trap that stops, by PID, every process the caller adds to pids[], however the run ends.

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf 'bench/%s: %s\n' "${BENCH_TOOL:-run}" "$*" >&2; exit 1; }

# bench_require COMMAND…: installs from the OS packages whichever of them is missing (postgresql: the server),
# then sets PG_BIN (BENCH_PG_BIN, else the newest OS install) and NGINX
bench_require() {
    local missing=() c
    for c in "$@"; do
        case "$c" in
            postgresql) compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || [ -n "${BENCH_PG_BIN:-}" ] \
                || missing+=(postgresql) ;;
            nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx) ;;
            *) command -v "$c" >/dev/null 2>&1 || missing+=("$c") ;;
        esac
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing from the OS packages: ${missing[*]}"
        command -v apt-get >/dev/null 2>&1 || die "install ${missing[*]} with your package manager, then run this again"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        local service
        for service in memcached nginx postgresql; do # the packages start their own; we start ours on free ports
            if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
                $sudo systemctl stop "$service" || true
            fi
        done
    fi
    PG_BIN=${BENCH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# bench_jar: builds target/parley.jar if the sources are newer; sets JAR
bench_jar() {
    JAR=target/parley.jar
    if [ ! -f "$JAR" ] || [ -n "$(find src db pom.xml -newer "$JAR" -print -quit)" ]; then
        say "building $JAR"
        mvn -q -B -Dstyle.color=never package -DskipTests >&2
    fi
}

# --- processes, stopped by PID on exit -------------------------------------------------------------------------
work=$(mktemp -d "/tmp/parley-bench-${BENCH_TOOL:-run}.XXXXXX")
chmod 755 "$work"
pids=()
declare -A stop_signal # PostgreSQL: INT is its fast shutdown (TERM waits for every client to leave)
cleanup() {
    local status=$?
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "-${stop_signal[${pids[$i]}]:-TERM}" "${pids[$i]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [ "${BENCH_KEEP:-0}" = 1 ] || [ $status -ne 0 ]; then
        say "logs and results kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a port nothing listens on (the process that takes it follows at once)
    # below the kernel's ephemeral range (ip_local_port_range, 32768 up by default): a port in it can be taken
    # meanwhile by any outgoing connection, which nothing listening shows (an nginx once failed to bind that way)
    local port low
    low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    (( low > 12000 )) || low=32768
    while :; do
        port=$((10000 + RANDOM % (low - 10000)))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}
wait_http() { # URL NAME PID
    for _ in $(seq 300); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || die "$2 stopped while starting; see $work"
        sleep 0.2
    done
    die "$2 did not answer at $1 within 60 s; see $work"
}
# PostgreSQL refuses to run as root: as root, its processes run as nobody (setpriv execs, so $! is postgres itself)
db_user=()
[ "$(id -u)" -ne 0 ] || db_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# start_postgres NAME [-c SETTING=VALUE…]: a throwaway cluster in $work/NAME, TCP on 127.0.0.1 only, user parley
# (trust), database parley; sets pg_port and pg_pid
start_postgres() {
    local name=$1 attempt
    shift
    mkdir -p "$work/$name"
    [ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$work/$name"
    "${db_user[@]}" "$PG_BIN/initdb" -D "$work/$name/data" -U parley --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$work/$name/initdb.log" 2>&1 || die "initdb failed; see $work/$name/initdb.log"
    # the port is picked just before the server binds it, and picked again if another process took it in between
    # (a whole run was lost that way while initdb ran)
    for attempt in 1 2 3; do
        pg_port=$(free_port)
        "${db_user[@]}" "$PG_BIN/postgres" -D "$work/$name/data" -p "$pg_port" -c listen_addresses=127.0.0.1 \
            -c unix_socket_directories= "$@" >"$work/$name/postgres.log" 2>&1 &
        pg_pid=$!
        for _ in $(seq 100); do
            "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break
            kill -0 "$pg_pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pg_pid" 2>/dev/null; then
            break
        fi
        grep -q 'could not bind\|Address already in use' "$work/$name/postgres.log" && [ "$attempt" -lt 3 ] \
            || die "PostgreSQL did not start; see $work/$name/postgres.log"
        say "PostgreSQL '$name' lost port $pg_port to another process; picking another"
    done
    pids+=("$pg_pid")
    stop_signal[$pg_pid]=INT
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$pg_port" -U parley -d postgres -c "CREATE DATABASE parley" >/dev/null
    say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') '$name' on 127.0.0.1:$pg_port (pid $pg_pid)"
}

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # CPU time (user + system, clock ticks) of a process and its children so far
    # through cat: processes end between the glob and the read, which would stop awk
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
        awk -v root="$1" '{ pid = $1; sub(/^[0-9]+ \(.*\) /, ""); if (pid == root || $2 == root) t += $12 + $13 }
            END { print t + 0 }'
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; } # field NAME RESULT-LINE: a number from wrk.lua's summary
