/*
 * serve: `prakerja serve`. Opens the database once to check that its schema is
 * current and to load what handlers share (app_init: PII keys, district codes),
 * then hands over to http_serve, which opens one connection per worker and runs
 * until SIGINT/SIGTERM. The web app is served from --static, else web/dist when
 * that folder exists (in the working directory, then in the source tree).
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
            "Usage: prakerja serve [--db PATH] [--port N] [--bind ADDR] [--key FILE]\n"
            "                      [--static DIR] [--threads N] [--loops N]\n\n"
            "Serves the JSON API (docs/api.md) and the web app until SIGINT/SIGTERM.\n\n"
            "  --db PATH      database (default $PRAKERJA_DB or %s)\n"
            "  --port N       TCP port (default 8080; 0 picks a free one, logged)\n"
            "  --bind ADDR    address to listen on (default 127.0.0.1)\n"
            "  --key FILE     PII key file (default the database path + .key)\n"
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

int cli_serve(int argc, char **argv)
{
    const char *db_opt = NULL, *port_s = NULL, *bind = NULL, *key_opt = NULL,
               *static_opt = NULL, *threads_s = NULL, *loops_s = NULL;
    const struct cli_opt opts[] = {
        {"db", &db_opt, NULL},       {"port", &port_s, NULL},       {"bind", &bind, NULL},
        {"key", &key_opt, NULL},     {"static", &static_opt, NULL}, {"threads", &threads_s, NULL},
        {"loops", &loops_s, NULL},   {NULL, NULL, NULL},
    };
    char *pos[1], keyp[4096], err[512], src_static[4096];
    int npos, help, rc;
    long port = 8080, threads = 0, loops = 0;
    const char *path, *static_root = NULL;
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
        return cli_usage_error("serve", "key path too long", NULL);
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
    cfg.app = &app;
    cfg.routes = api_routes;
    rc = http_serve(&cfg) == 0 ? 0 : 1;
    app_free(&app);
    return rc;
}
