/* waves.c: being written (issue 4). */
