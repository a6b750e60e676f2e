/*
 * cli/draw: `prakerja draw verify|simulate` (see draw.c). Declared here rather
 * than in cli.h so the draw's command group stays in its own files.
 */
#ifndef PK_CLI_DRAW_H
#define PK_CLI_DRAW_H

int cli_draw(int argc, char **argv);

#endif
