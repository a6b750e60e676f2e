/* schemes.c: being written (issue 4). */
