/*
 * Store faults seen from the outside: a PostgreSQL server that is down when
 * `prakerja serve`, `db init` or `db migrate` starts gives a clear message and a
 * non-zero exit; a server that goes away while prakerja serves turns requests into
 * 503 store.unavailable (never a 500, never a crash), and once it is back (started
 * again, or restarted with pg_ctl restart, which cuts every connection) the
 * server heals by itself. The second test runs in the PostgreSQL pass only
 * (PRAKERJA_TEST_PG set) and makes its own cluster with scripts/pg-cluster, so
 * stopping it disturbs no other test.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "../support.h"
#include "harness.h"

static struct harness H;
static char cluster[128];

static void cluster_cmd(const char *what)
{
    char cmd[512];

    snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster %s %s", PRAKERJA_SOURCE_ROOT, what, cluster);
    cr_assert_eq(test_run(cmd, NULL, 0), 0, "%s failed", cmd);
}

static void teardown(void)
{
    harness_stop(&H);
    if (cluster[0]) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster stop %s", PRAKERJA_SOURCE_ROOT, cluster);
        test_run(cmd, NULL, 0);
        cluster[0] = '\0';
    }
}

TestSuite(faults, .fini = teardown, .timeout = 180);

Test(faults, commands_refuse_to_start_when_postgres_is_down)
{
    static const char *const cmds[] = {"serve --port 0 --bind 127.0.0.1", "db init", "db migrate"};
    const char *bin = getenv("PRAKERJA_BIN");
    char cmd[1024], out[4096], keyp[64];

    cr_assert_not_null(bin);
    snprintf(keyp, sizeof keyp, "/tmp/pk-faults-%ld.key", (long)getpid());
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        snprintf(cmd, sizeof cmd, "timeout 30 %s %s --db postgresql://postgres@127.0.0.1:1/prakerja"
                                  "%s%s 2>&1", bin, cmds[i], i < 2 ? " --key " : "",
                 i < 2 ? keyp : "");
        int rc = test_run(cmd, out, sizeof out);
        cr_assert(rc != 0 && rc != 124, "`%s` exited %d", cmds[i], rc);
        cr_assert_neq(strstr(out, "cannot connect"), NULL, "`%s` says why: %s", cmds[i], out);
        cr_assert_neq(strstr(out, "127.0.0.1"), NULL, "`%s` names the server: %s", cmds[i], out);
    }
    unlink(keyp);
}

/* GET path: the status, and the problem code of an error reply into code. */
static long get(const char *path, char code[64])
{
    struct harness_reply r;
    long st;

    code[0] = '\0';
    cr_assert_eq(harness_request(&H, "GET", path, NULL, NULL, 0, NULL, &r), 0, "GET %s", path);
    st = r.status;
    if (st >= 400) {
        json_t *j = json_loads(r.body, 0, NULL);
        const char *c = j ? json_string_value(json_object_get(j, "code")) : NULL;
        snprintf(code, 64, "%s", c ? c : "(no code)");
        json_decref(j);
    }
    harness_reply_free(&r);
    return st;
}

/* Polls until 12 requests in a row succeed (every worker's connection healed),
 * within limit seconds; every failure on the way must be 503 store.unavailable.
 * Returns how many 503s were seen. */
static int heal(const char *path, double limit)
{
    double start = test_now();
    int ok = 0, unavailable = 0;
    char code[64];

    while (ok < 12) {
        long st = get(path, code);
        if (st == 200) {
            ok++;
            continue;
        }
        ok = 0;
        cr_assert_eq(st, 503, "while healing %s answered %ld %s", path, st, code);
        cr_assert_str_eq(code, "store.unavailable");
        unavailable++;
        cr_assert_lt(test_now() - start, limit, "%s not healed within %.0f s", path, limit);
        usleep(50 * 1000);
    }
    return unavailable;
}

Test(faults, a_lost_server_gives_503_and_the_server_heals_after_restarts)
{
    const char *root = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    const char *regency = "/api/v1/regions/35.09";
    char cmd[512], url[512], code[64];
    int i;

    if (!getenv("PRAKERJA_TEST_PG") || !*getenv("PRAKERJA_TEST_PG"))
        cr_skip_test("PostgreSQL pass only");
    snprintf(cluster, sizeof cluster, "%s/pk-fault-XXXXXX", root);
    cr_assert_not_null(mkdtemp(cluster));
    snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster start %s", PRAKERJA_SOURCE_ROOT, cluster);
    cr_assert_eq(test_run(cmd, url, sizeof url), 0, "%s failed", cmd);
    setenv("PRAKERJA_TEST_PG", url, 1);          /* the harness makes its database there */
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
    cr_assert_eq(get(regency, code), 200);
    cr_assert_eq(get("/readyz", code), 200);

    cluster_cmd("halt");
    for (i = 0; i < 6; i++) {
        cr_assert_eq(get(regency, code), 503, "request %d with the database down", i);
        cr_assert_str_eq(code, "store.unavailable");
    }
    cr_assert_eq(get("/readyz", code), 503);
    cr_assert_eq(get("/healthz", code), 200, "the server itself is alive");

    cluster_cmd("resume");
    heal(regency, 15);
    cr_assert_eq(get("/readyz", code), 200);

    cluster_cmd("restart");                       /* every connection is cut */
    heal(regency, 15);
    heal("/readyz", 15);
    cr_assert_eq(harness_stop(&H), 0, "the server exits cleanly: status %d", H.exit_status);
}
