/* civreg.c: being written (issue 4). */
