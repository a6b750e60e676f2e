/* card.c: being written (issue 4). */
