/* card.h: being written (issue 4). */
