/* waves.h: being written (issue 4). */
