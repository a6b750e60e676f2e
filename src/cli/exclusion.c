/* exclusion: being written (issue 4). */
#include <stdio.h>
#include "cli/cli.h"
int cli_exclusion(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "prakerja %s: not yet available\n", argv[0]);
    return 1;
}
