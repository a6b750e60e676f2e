/* exam.h: being written (issue 4). */
