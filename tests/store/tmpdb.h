/*
 * tmpdb: a scratch folder under /tmp for one store test, removed with everything
 * in it when the test ends (Criterion runs each test in its own process).
 */
#ifndef PK_TEST_TMPDB_H
#define PK_TEST_TMPDB_H
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

static char tmpdb_dir[64];

__attribute__((unused)) static void tmpdb_setup(void)
{
    strcpy(tmpdb_dir, "/tmp/pkstore-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdb_dir));
}

__attribute__((unused)) static void tmpdb_teardown(void)
{
    DIR *dir = opendir(tmpdb_dir);
    struct dirent *e;
    char p[512];

    if (!dir)
        return;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", tmpdb_dir, e->d_name);
        unlink(p);
    }
    closedir(dir);
    rmdir(tmpdb_dir);
}

/* Path of a file in the scratch folder; returns a static buffer per call slot. */
__attribute__((unused)) static const char *tmpdb_path(const char *name)
{
    static char bufs[4][512];
    static int slot;
    char *b = bufs[slot++ % 4];

    snprintf(b, 512, "%s/%s", tmpdb_dir, name);
    return b;
}

__attribute__((unused)) static db *tmpdb_open(const char *name)
{
    char err[256] = "";
    db *d = NULL;
    int rc = db_open(tmpdb_path(name), &d, err, sizeof err);

    cr_assert_eq(rc, DB_OK, "db_open: %s", err);
    return d;
}

#endif
