/* exclusions.h: being written (issue 4). */
