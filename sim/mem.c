/* sim/mem.c — aborting allocators and a block arena (see mem.h).
 *
 * The arena is a chain of blocks; an allocation larger than the block size
 * gets a block of its own. Reset keeps the first block so that a replication
 * loop reuses it without touching malloc. A destroyed arena's blocks go to
 * its thread's spares (up to SIM_ARENA_SPARE_MAX bytes), where the thread's
 * next arena finds them: replications run one after another on a thread,
 * and a block given back to malloc would come back as fresh pages from the
 * system, whose faults cost as much as simulating a dealership day.
 */
#include "sim/mem.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void sim_oom(size_t size)
{
    fprintf(stderr, "cxsim: out of memory (asked for %zu bytes)\n", size);
    abort();
}

void *sim_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        sim_oom(size);
    return p;
}

void *sim_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        sim_oom(count * size);
    return p;
}

void *sim_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        sim_oom(size);
    return q;
}

void *sim_xreallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        sim_oom(SIZE_MAX);
    return sim_xrealloc(p, count * size);
}

char *sim_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(sim_xmalloc(n), s, n);
}

struct block {
    struct block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

struct sim_arena {
    struct block *head;   /* block being filled; older blocks follow */
    size_t block_size;
    size_t used;          /* bytes handed out, for sim_arena_used */
};

/* The thread's spare blocks, largest first, and their bytes. A thread
 * that keeps any registers a key whose destructor frees them when the
 * thread ends (OpenMP ends worker threads when a team shrinks). */
static _Thread_local struct block *spares;
static _Thread_local size_t spare_bytes;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spares_at_thread_exit(void *unused)
{
    (void)unused;
    sim_arena_trim();
}

static void spare_key_create(void)
{
    if (pthread_key_create(&spare_key, spares_at_thread_exit) != 0)
        sim_oom(sizeof spare_key);
}

static struct block *block_new(size_t size)
{
    /* a spare that fits, no more than twice the size asked */
    for (struct block **pb = &spares; *pb; pb = &(*pb)->next) {
        struct block *b = *pb;
        if (b->size >= size && b->size / 2 <= size) {
            *pb = b->next;
            spare_bytes -= b->size;
            b->next = NULL;
            b->used = 0;
            return b;
        }
    }
    struct block *b = sim_xmalloc(sizeof *b + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

/* Keeps b as a spare while the spares stay within their bound. */
static void block_free(struct block *b)
{
    if (spare_bytes + b->size > SIM_ARENA_SPARE_MAX) {
        free(b);
        return;
    }
    if (!spares) {   /* the thread's first spare: free them when it ends */
        pthread_once(&spare_once, spare_key_create);
        pthread_setspecific(spare_key, (void *)1);
    }
    struct block **pb = &spares;
    while (*pb && (*pb)->size > b->size)
        pb = &(*pb)->next;
    b->next = *pb;
    *pb = b;
    spare_bytes += b->size;
}

void sim_arena_trim(void)
{
    while (spares) {
        struct block *next = spares->next;
        free(spares);
        spares = next;
    }
    spare_bytes = 0;
}

size_t sim_arena_spare_bytes(void)
{
    return spare_bytes;
}

struct sim_arena *sim_arena_create(size_t block_size)
{
    struct sim_arena *a = sim_xmalloc(sizeof *a);
    a->block_size = block_size ? block_size : 64 * 1024;
    a->head = block_new(a->block_size);
    a->used = 0;
    return a;
}

void sim_arena_destroy(struct sim_arena *a)
{
    if (!a)
        return;
    for (struct block *b = a->head, *next; b; b = next) {
        next = b->next;
        block_free(b);
    }
    free(a);
}

void *sim_arena_alloc(struct sim_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size > SIZE_MAX - align)
        sim_oom(size);
    size = (size + align - 1) & ~(align - 1);
    struct block *b = a->head;
    if (b->size - b->used < size) {
        b = block_new(size > a->block_size ? size : a->block_size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->used += size;
    return memset(p, 0, size);
}

void sim_arena_reset(struct sim_arena *a)
{
    /* Keep the oldest block (the first one created, of block_size). */
    struct block *b = a->head;
    while (b->next) {
        struct block *next = b->next;
        block_free(b);
        b = next;
    }
    b->used = 0;
    a->head = b;
    a->used = 0;
}

size_t sim_arena_used(const struct sim_arena *a)
{
    return a->used;
}
