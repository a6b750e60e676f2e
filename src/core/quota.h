/* quota.h: being written (issue 4). */
