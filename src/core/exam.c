/* exam.c: being written (issue 4). */
