/* beneficiaries.h: being written (issue 4). */
