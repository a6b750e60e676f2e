/*
 * serve: `prakerja serve`. Opens the database once to check that its schema is
 * current and to load what handlers share (app_init: PII keys, district codes),
 * then hands over to http_serve, which opens one connection per worker and runs
 * until SIGINT/SIGTERM. The web app is served from --static, else web/dist when
 * that folder exists (in the working directory, then in the source tree).
 *
 * --db-read names a read-only copy of the database (a PostgreSQL streaming
 * standby) for statistics and catalog reads; each worker opens a second
 * connection to it. A primary that cannot be opened stops serve; a read copy that
 * cannot be reached only warns, since it is there to take load off the primary
 * and its outage must not keep the service down (the workers keep trying, and the
 * reads it serves answer 503 meanwhile). One that answers with another schema
 * version is a mistake in the address and stops serve.
 *
 * The civil-registry adapter (store/civreg.h) is opened once for every worker:
 * --civreg FILE, else civreg_default_path of the database (PRAKERJA_CIVREG
 * overrides). A missing file is no error: registry checks answer unavailable until
 * it appears. A background thread with its own database connection keeps the
 * waves' clock (waves_tick: scheduled waves open, waves past their close time are
 * closed and their applications checked again) every 60 seconds
 * (PRAKERJA_TICK_SECONDS overrides, for tests), and revokes the beneficiaries past
 * their first-purchase deadline at start and then once a day. A database that
 * cannot be reached is logged and tried again at the next tick; the thread stops
 * when http_serve returns (SIGINT/SIGTERM), after the work it is doing.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "api/app.h"
#include "cli/cli.h"
#include "config.h"
#include "http/http.h"
#include "store/beneficiaries.h"
#include "store/civreg.h"
#include "store/waves.h"
#include "util/log.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: prakerja serve [--db PATH] [--db-read ADDR] [--port N] [--bind ADDR]\n"
            "                      [--key FILE] [--static DIR] [--threads N] [--loops N]\n"
            "                      [--civreg FILE]\n\n"
            "Serves the JSON API (docs/api.md) and the web app until SIGINT/SIGTERM.\n\n"
            "  --db PATH      database: a file or a postgres:// URL (default $PRAKERJA_DB\n"
            "                 or %s)\n"
            "  --db-read ADDR a read-only copy of it (a streaming-replication standby) for\n"
            "                 statistics and catalog reads such as the regions (default\n"
            "                 $PRAKERJA_DB_READ; none: everything reads from --db)\n"
            "  --port N       TCP port (default 8080; 0 picks a free one, logged)\n"
            "  --bind ADDR    address to listen on (default 127.0.0.1)\n"
            "  --key FILE     PII key file (default $PRAKERJA_KEY, else the database path\n"
            "                 + .key; PostgreSQL needs one of the two)\n"
            "  --static DIR   web app files (default web/dist when it exists)\n"
            "  --threads N    worker threads (default twice the cores; one per core\n"
            "                 serves a steady load, the rest stand by for slow handlers)\n"
            "  --loops N      event loops sharing the port (default the cores)\n"
            "  --civreg FILE  civil-registry CSV (nik,full_name,birth_date) for eligibility\n"
            "                 (default $PRAKERJA_CIVREG, else the database path + .civreg.csv)\n",
            CLI_DEFAULT_DB);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Checks the read copy at start: 0 when usable, or unreachable for now (warned);
 * -1 when it answers with another schema version (printed). */
static int check_read_db(const char *addr)
{
    char err[512], shown[1024];
    int v = 0, latest = db_latest_version();
    db *d = NULL;

    db_addr_redact(addr, shown, sizeof shown);
    if (db_open(addr, &d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "prakerja serve: warning: the read database %s cannot be opened now "
                        "(%s); the reads it serves answer 503 until the workers reach it\n",
                shown, err);
        return 0;
    }
    if (db_schema_version(d, &v) != DB_OK || v != latest) {
        fprintf(stderr, "prakerja serve: the read database %s has schema version %d, this "
                        "binary needs %d: is it a copy of the --db database?\n", shown, v,
                latest);
        db_close(d);
        return -1;
    }
    db_close(d);
    return 0;
}

/* ---- the background ticker: the waves' clock and daily revocation ---- */

#define TICK_DEFAULT 60
#define REVOKE_EVERY 86400

struct ticker {
    const char *db_addr;
    struct app *app;
    int interval;                    /* seconds between ticks */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stop;
    int started;
};

static void tick_once(struct ticker *t, db **d, int64_t *next_revoke)
{
    char err[512], n1[24], n2[24];
    struct elig_env env = {&t->app->keys, t->app->civreg};
    int64_t now = (int64_t)time(NULL);
    int opened = 0, closed = 0, rc;

    if (!*d && db_open(t->db_addr, d, err, sizeof err) != DB_OK) {
        log_kv(LOG_WARN, "ticker.db_unavailable", "error", err, NULL);
        *d = NULL;
        return;
    }
    rc = waves_tick(*d, &env, now, &opened, &closed);
    if (rc != DB_OK) {
        log_kv(LOG_WARN, "ticker.waves_failed", "error", db_errmsg(*d), NULL);
    } else if (opened || closed) {
        snprintf(n1, sizeof n1, "%d", opened);
        snprintf(n2, sizeof n2, "%d", closed);
        log_kv(LOG_INFO, "ticker.waves", "opened", n1, "closed", n2, NULL);
    }
    if (now >= *next_revoke) {
        int64_t count = 0, returned = 0;
        rc = beneficiaries_revoke_expired(*d, now, "system", &count, &returned);
        if (rc != DB_OK) {
            log_kv(LOG_WARN, "ticker.revoke_failed", "error", db_errmsg(*d), NULL);
        } else {
            *next_revoke = now + REVOKE_EVERY;
            snprintf(n1, sizeof n1, "%lld", (long long)count);
            snprintf(n2, sizeof n2, "%lld", (long long)returned);
            log_kv(LOG_INFO, "ticker.revoked", "count", n1, "returned", n2, NULL);
        }
    }
    if (rc == DB_EUNAVAILABLE) {
        db_close(*d);                /* opened again at the next tick */
        *d = NULL;
    }
}

static void *ticker_main(void *arg)
{
    struct ticker *t = arg;
    int64_t next_revoke = 0;
    db *d = NULL;

    pthread_mutex_lock(&t->lock);
    while (!t->stop) {
        pthread_mutex_unlock(&t->lock);
        tick_once(t, &d, &next_revoke);
        pthread_mutex_lock(&t->lock);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += t->interval;
        while (!t->stop && pthread_cond_timedwait(&t->cond, &t->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&t->lock);
    db_close(d);
    return NULL;
}

/* Starts the ticker with SIGINT/SIGTERM blocked (http_serve takes them). */
static int ticker_start(struct ticker *t, const char *db_addr, struct app *app)
{
    pthread_condattr_t ca;
    sigset_t stopset, oldset;
    const char *env = getenv("PRAKERJA_TICK_SECONDS");
    long iv = TICK_DEFAULT;

    memset(t, 0, sizeof *t);
    if (env && *env && cli_parse_long(env, 1, 86400, &iv) < 0) {
        fprintf(stderr, "prakerja serve: PRAKERJA_TICK_SECONDS must be 1..86400\n");
        return -1;
    }
    t->db_addr = db_addr;
    t->app = app;
    t->interval = (int)iv;
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cond, &ca);
    pthread_condattr_destroy(&ca);
    sigemptyset(&stopset);
    sigaddset(&stopset, SIGINT);
    sigaddset(&stopset, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopset, &oldset);
    if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
        pthread_sigmask(SIG_SETMASK, &oldset, NULL);
        fprintf(stderr, "prakerja serve: cannot start the background ticker\n");
        return -1;
    }
    pthread_setname_np(t->thread, "pk-ticker");
    t->started = 1;
    return 0;
}

static void ticker_stop(struct ticker *t)
{
    if (!t->started)
        return;
    pthread_mutex_lock(&t->lock);
    t->stop = 1;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
    t->started = 0;
}

int cli_serve(int argc, char **argv)
{
    const char *db_opt = NULL, *port_s = NULL, *bind = NULL, *key_opt = NULL,
               *static_opt = NULL, *threads_s = NULL, *loops_s = NULL, *read_opt = NULL,
               *civreg_opt = NULL;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},       {"port", &port_s, NULL},       {"bind", &bind, NULL},
        {"key", &key_opt, NULL},     {"static", &static_opt, NULL}, {"threads", &threads_s, NULL},
        {"loops", &loops_s, NULL},   {"db-read", &read_opt, NULL},  {"civreg", &civreg_opt, NULL},
        {NULL, NULL, NULL},
    };
    char *pos[1], keyp[4096], err[512], src_static[4096], civp[4096] = "";
    int npos, help, rc;
    long port = 8080, threads = 0, loops = 0;
    const char *path, *read_path = NULL, *static_root = NULL;
    struct app app;
    struct http_config cfg;
    struct ticker ticker;
    db *d = NULL;

    if ((rc = cli_parse("serve", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        usage(stdout);
        return 0;
    }
    if (port_s && cli_parse_long(port_s, 0, 65535, &port) < 0)
        return cli_usage_error("serve", "--port wants 0..65535", port_s);
    if (threads_s && cli_parse_long(threads_s, 1, 1024, &threads) < 0)
        return cli_usage_error("serve", "--threads wants 1..1024", threads_s);
    if (loops_s && cli_parse_long(loops_s, 1, 256, &loops) < 0)
        return cli_usage_error("serve", "--loops wants 1..256", loops_s);
    path = cli_db_path(db_opt);
    if (cli_key_path(path, key_opt, keyp, sizeof keyp) < 0)
        return CLI_EXIT_USAGE;
    if (read_opt && *read_opt)
        read_path = read_opt;
    else if (getenv("PRAKERJA_DB_READ") && *getenv("PRAKERJA_DB_READ"))
        read_path = getenv("PRAKERJA_DB_READ");
    if (static_opt) {
        if (!is_dir(static_opt)) {
            fprintf(stderr, "prakerja serve: --static %s is not a folder\n", static_opt);
            return 1;
        }
        static_root = static_opt;
    } else if (is_dir("web/dist")) {
        static_root = "web/dist";
    } else {
        snprintf(src_static, sizeof src_static, "%s/web/dist", PRAKERJA_SOURCE_ROOT);
        if (is_dir(src_static))
            static_root = src_static;
    }

    if (cli_open(path, 1, &d) < 0)
        return 1;
    if (read_path && check_read_db(read_path) < 0) {
        db_close(d);
        return 1;
    }
    memset(&app, 0, sizeof app);
    if (app_init(&app, d, keyp, err, sizeof err) != 0) {
        fprintf(stderr, "prakerja serve: %s\n", err);
        db_close(d);
        return 1;
    }
    db_close(d);
    if (civreg_opt && *civreg_opt)
        snprintf(civp, sizeof civp, "%s", civreg_opt);
    else if (civreg_default_path(path, civp, sizeof civp) != 0)
        civp[0] = '\0';
    if (!civp[0]) {
        fprintf(stderr, "prakerja serve: warning: no civil-registry file (give --civreg FILE or "
                        "PRAKERJA_CIVREG): every registry check answers unavailable\n");
    } else if (civreg_csv_open(civp, &app.keys, &app.civreg, err, sizeof err) != 0) {
        fprintf(stderr, "prakerja serve: civil registry %s: %s\n", civp, err);
        app_free(&app);
        return 1;
    }
    if (ticker_start(&ticker, path, &app) != 0) {
        civreg_close(app.civreg);
        app_free(&app);
        return 1;
    }

    memset(&cfg, 0, sizeof cfg);
    cfg.bind = bind ? bind : "127.0.0.1";
    cfg.port = (int)port;
    cfg.workers = (int)threads;
    cfg.loops = (int)loops;
    cfg.static_root = static_root;
    cfg.db_addr = path;
    cfg.db_read_addr = read_path;
    cfg.app = &app;
    cfg.routes = api_routes;
    rc = http_serve(&cfg) == 0 ? 0 : 1;
    ticker_stop(&ticker);
    civreg_close(app.civreg);
    app.civreg = NULL;
    app_free(&app);
    return rc;
}
