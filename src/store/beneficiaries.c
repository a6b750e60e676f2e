/* beneficiaries.c: being written (issue 4). */
