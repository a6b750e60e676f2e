/* eligibility.c: being written (issue 4). */
