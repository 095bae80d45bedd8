/* models/builtin.h — the built-in scenario: scenarios/dealership.yaml,
 * compiled into the program (build/gen/builtin.c, made by support/embed.sh). */
#ifndef MDL_BUILTIN_H
#define MDL_BUILTIN_H

#include <stddef.h>

#define MDL_BUILTIN_NAME "dealership.yaml (built-in)"
extern const unsigned char mdl_builtin_scenario[];   /* NUL-terminated */
extern const size_t mdl_builtin_scenario_len;

#endif
