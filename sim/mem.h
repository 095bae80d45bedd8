/* sim/mem.h — memory: allocation that never returns NULL, and arenas.
 *
 * cxsim treats running out of memory as fatal: sim_xmalloc and friends print
 * one line to stderr and abort, so no caller carries an out-of-memory path.
 *
 * An arena hands out memory from large blocks and frees it all at once; a
 * replication builds its model in one arena and drops it whole at the end.
 * Arena memory is never freed piecewise. An arena is not thread-safe: each
 * thread (replication) owns its own.
 */
#ifndef SIM_MEM_H
#define SIM_MEM_H

#include <stddef.h>

/* Prints "cxsim: out of memory" and aborts; for wrapping other libraries'
 * allocators (gsl_histogram_alloc returning NULL, say). */
_Noreturn void sim_oom(size_t size);

void *sim_xmalloc(size_t size);
void *sim_xcalloc(size_t count, size_t size);
void *sim_xrealloc(void *p, size_t size);
/* Grows an array: returns p resized to count * size bytes, checking the
 * multiplication for overflow. */
void *sim_xreallocarray(void *p, size_t count, size_t size);
char *sim_xstrdup(const char *s);

struct sim_arena;

struct sim_arena *sim_arena_create(size_t block_size);
void sim_arena_destroy(struct sim_arena *a);
/* Returns size bytes aligned for any type, zeroed. Never NULL. */
void *sim_arena_alloc(struct sim_arena *a, size_t size);
/* Forgets every allocation but keeps the first block for reuse. */
void sim_arena_reset(struct sim_arena *a);
/* Bytes handed out since creation or the last reset. */
size_t sim_arena_used(const struct sim_arena *a);

/* A destroyed arena's blocks are kept, up to this many bytes per thread,
 * for the thread's next arenas (one replication after another reuses the
 * same memory). sim_arena_trim gives the calling thread's back to malloc. */
#define SIM_ARENA_SPARE_MAX ((size_t)4 << 20)
void sim_arena_trim(void);
size_t sim_arena_spare_bytes(void);

#endif
