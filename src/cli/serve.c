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
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/app.h"
#include "cli/cli.h"
#include "config.h"
#include "http/http.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: prakerja serve [--db PATH] [--db-read ADDR] [--port N] [--bind ADDR]\n"
            "                      [--key FILE] [--static DIR] [--threads N] [--loops N]\n\n"
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
            "  --loops N      event loops sharing the port (default the cores)\n",
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

int cli_serve(int argc, char **argv)
{
    const char *db_opt = NULL, *port_s = NULL, *bind = NULL, *key_opt = NULL,
               *static_opt = NULL, *threads_s = NULL, *loops_s = NULL, *read_opt = NULL;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},       {"port", &port_s, NULL},       {"bind", &bind, NULL},
        {"key", &key_opt, NULL},     {"static", &static_opt, NULL}, {"threads", &threads_s, NULL},
        {"loops", &loops_s, NULL},   {"db-read", &read_opt, NULL},  {NULL, NULL, NULL},
    };
    char *pos[1], keyp[4096], err[512], src_static[4096];
    int npos, help, rc;
    long port = 8080, threads = 0, loops = 0;
    const char *path, *read_path = NULL, *static_root = NULL;
    struct app app;
    struct http_config cfg;
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
    app_free(&app);
    return rc;
}
