/*
 * course: `prakerja course list | show | approve | reject`, curation of the
 * course catalog from the command line (store/courses.h), for the program
 * office's admins, beside the admin API and its web page.
 *
 * list prints one course a line (id, status, price, mode, provider, title),
 * paging through the store in id order so any number of courses prints in
 * bounded memory; show prints one course whole with its sessions; approve and
 * reject make the same decision as POST /api/v1/admin/courses/{id}/approve and
 * /reject, with the same rules (pending only, a session needed for approval, a
 * reason of 5..500 characters for a rejection), in one db_txn with its audit
 * entry (actor "cli"). Exit status: 0 done, 1 refused or failed (the reason on
 * stderr, with its stable code), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/catalog.h"
#include "core/errors.h"
#include "store/courses.h"

static void iso(int64_t t, char out[21])
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (!gmtime_r(&tt, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        strcpy(out, "?");
}

static void usage(FILE *f)
{
    fprintf(f, "Usage: prakerja course COMMAND [OPTIONS]\n\n"
               "  list [--status S]          courses, one a line (all, or of one status)\n"
               "  show COURSE_ID             one course with its sessions\n"
               "  approve COURSE_ID          put a pending course on sale\n"
               "  reject COURSE_ID --reason R  send a pending course back to its provider\n\n"
               "Each command has --help and takes --db PATH (default $PRAKERJA_DB or %s).\n",
            CLI_DEFAULT_DB);
}

/* Reports a failed store call for cmd and returns 1. */
static int fail(const char *cmd, db *d, int rc)
{
    const char *code = courses_code(rc);
    if (code)
        fprintf(stderr, "prakerja %s: %s (%s)\n", cmd, err_text(code, "en"), code);
    else
        fprintf(stderr, "prakerja %s: %s\n", cmd, db_errmsg(d));
    return 1;
}

/* ---- list ---- */

static void list_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja course list [--status S] [--db PATH]\n\n"
               "Prints every course (or those of one status: draft, pending, approved,\n"
               "rejected, withdrawn) in the order they were created, one a line:\n"
               "COURSE_ID STATUS PRICE MODE PROVIDER_ID TITLE.\n");
}

static int cmd_list(int argc, char **argv)
{
    const char *db_opt = NULL, *status = NULL;
    const struct cli_opt opts[] = {
        {"status", &status, NULL}, {"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    char after[COURSES_PUBLIC_ID_LEN + 1] = "";
    struct course *page;
    char *pos[1];
    int npos, help, rc, n, more = 1;
    long total = 0;
    db *d = NULL;

    if ((rc = cli_parse("course list", argc, argv, opts, pos, 0, &npos, &help)) != 0)
        return rc;
    if (help) {
        list_usage(stdout);
        return 0;
    }
    if (status && !catalog_status_valid(status))
        return cli_usage_error("course list",
                               "--status must be draft, pending, approved, rejected or withdrawn",
                               status);
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    page = malloc(sizeof *page * COURSES_PAGE_MAX);
    if (!page) {
        db_close(d);
        return 1;
    }
    printf("%-26s  %-9s  %11s  %-10s  %-26s  %s\n", "COURSE_ID", "STATUS", "PRICE", "MODE",
           "PROVIDER_ID", "TITLE");
    while (more) {
        rc = courses_list(d, 0, status, after[0] ? after : NULL, COURSES_PAGE_MAX, page, &n,
                          &more);
        if (rc != DB_OK) {
            free(page);
            rc = fail("course list", d, rc);
            db_close(d);
            return rc;
        }
        for (int i = 0; i < n; i++)
            printf("%-26s  %-9s  %11lld  %-10s  %-26s  %s\n", page[i].public_id, page[i].status,
                   (long long)page[i].price, page[i].mode, page[i].provider_public_id,
                   page[i].title);
        total += n;
        if (n > 0)
            strcpy(after, page[n - 1].public_id);
    }
    fprintf(stderr, "%ld course%s\n", total, total == 1 ? "" : "s");
    free(page);
    db_close(d);
    return 0;
}

/* ---- show ---- */

static void show_usage(FILE *f)
{
    fprintf(f, "Usage: prakerja course show COURSE_ID [--db PATH]\n\n"
               "Prints a course (any status) with its provider, description, place,\n"
               "rejection reason and sessions.\n");
}

static int cmd_show(int argc, char **argv)
{
    const char *db_opt = NULL;
    const struct cli_opt opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    struct course c;
    struct course_text *t = NULL;
    struct course_session *s = NULL;
    char *pos[1], when[21];
    int npos = 0, help, rc, ns = 0, out = 1;
    db *d = NULL;

    if ((rc = cli_parse("course show", argc, argv, opts, pos, 1, &npos, &help)) != 0)
        return rc;
    if (help) {
        show_usage(stdout);
        return 0;
    }
    if (npos != 1)
        return cli_usage_error("course show", "give one COURSE_ID", NULL);
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    t = malloc(sizeof *t);
    s = malloc(sizeof *s * CATALOG_SESSIONS_MAX);
    if (!t || !s)
        goto done;
    rc = courses_by_public_id(d, pos[0], &c);
    if (rc == DB_OK)
        rc = courses_text(d, c.id, t);
    if (rc == DB_OK)
        rc = courses_sessions(d, c.id, s, CATALOG_SESSIONS_MAX, &ns);
    if (rc != DB_OK) {
        out = fail("course show", d, rc);
        goto done;
    }
    printf("course_id     %s\n", c.public_id);
    printf("title         %s\n", c.title);
    printf("status        %s\n", c.status);
    printf("provider      %s  %s\n", c.provider_public_id, c.provider_name);
    printf("category      %s\n", c.category);
    printf("level         %s\n", c.level);
    printf("purpose       %s\n", c.purpose);
    printf("mode          %s\n", c.mode);
    printf("hours         %d\n", c.hours);
    printf("price         %lld\n", (long long)c.price);
    if (c.regency_code[0])
        printf("regency       %s\n", c.regency_code);
    if (t->address[0])
        printf("address       %s\n", t->address);
    if (t->reject_reason[0])
        printf("reject_reason %s\n", t->reject_reason);
    if (c.rating_count > 0)
        printf("rating        %.1f stars from %lld ratings\n",
               (double)c.rating_sum / (double)c.rating_count, (long long)c.rating_count);
    else
        printf("rating        none yet\n");
    printf("description   %s\n", t->description);
    printf("sessions      %d\n", ns);
    for (int i = 0; i < ns; i++) {
        if (s[i].starts_at)
            iso(s[i].starts_at, when);
        else
            strcpy(when, "self-paced");
        printf("  %s  %-20s  %d of %d seats taken\n", s[i].public_id, when, s[i].seats_taken,
               s[i].capacity);
    }
    out = 0;
done:
    free(t);
    free(s);
    db_close(d);
    return out;
}

/* ---- approve, reject ---- */

static int cmd_review(int approve, int argc, char **argv)
{
    const char *cmd = approve ? "course approve" : "course reject";
    const char *db_opt = NULL, *reason = NULL;
    const struct cli_opt opts[] = {
        {"reason", &reason, NULL}, {"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    const struct cli_opt approve_opts[] = {{"db", &db_opt, NULL}, {NULL, NULL, NULL}};
    struct course c;
    char *pos[1];
    int npos = 0, help, rc;
    db *d = NULL;

    if ((rc = cli_parse(cmd, argc, argv, approve ? approve_opts : opts, pos, 1, &npos,
                        &help)) != 0)
        return rc;
    if (help) {
        if (approve)
            printf("Usage: prakerja course approve COURSE_ID [--db PATH]\n\n"
                   "Puts a pending course on sale. It needs at least one session.\n");
        else
            printf("Usage: prakerja course reject COURSE_ID --reason R [--db PATH]\n\n"
                   "Sends a pending course back to its provider with the reason (%d to %d\n"
                   "characters), which the provider sees; they may edit and submit it again.\n",
                   CATALOG_REASON_MIN, CATALOG_REASON_MAX);
        return 0;
    }
    if (npos != 1)
        return cli_usage_error(cmd, "give one COURSE_ID", NULL);
    if (!approve && !reason)
        return cli_usage_error(cmd, "--reason is required", NULL);
    if (!approve && !catalog_reason_valid(reason)) {
        fprintf(stderr, "prakerja %s: %s (course.reason_invalid)\n", cmd,
                err_text("course.reason_invalid", "en"));
        return 1;
    }
    if (cli_open(cli_db_path(db_opt), 1, &d) < 0)
        return 1;
    rc = courses_review(d, pos[0], approve, reason, 0, cli_now(), "cli", &c);
    if (rc != DB_OK) {
        rc = fail(cmd, d, rc);
        db_close(d);
        return rc;
    }
    printf("%s %s: %s\n", approve ? "approved" : "rejected", c.public_id, c.title);
    db_close(d);
    return 0;
}

int cli_course(int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : NULL;

    if (!sub)
        return cli_usage_error("course", "missing subcommand", NULL);
    if (strcmp(sub, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(sub, "approve") == 0)
        return cmd_review(1, argc - 1, argv + 1);
    if (strcmp(sub, "reject") == 0)
        return cmd_review(0, argc - 1, argv + 1);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    return cli_usage_error("course", "unknown subcommand", sub);
}
