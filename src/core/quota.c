/* quota.c: being written (issue 4). */
