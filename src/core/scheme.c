/* scheme.c: being written (issue 4). */
