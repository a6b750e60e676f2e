/* exclusions.c: being written (issue 4). */
