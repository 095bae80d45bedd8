/* sim/calendar.c — a binary min-heap of (time, sequence) keys over a slot table.
 *
 * The heap holds small entries {at, seq, slot}; the payload lives in the
 * slot table, which also records each slot's heap position (for O(log n)
 * cancel) and generation (for stale handles). Free slots form a list through
 * their `pos` field. A handle packs (generation << 32) | (slot + 1); the
 * generation is odd while the slot is in use and even while it is free, so a
 * handle taken before the slot was freed can never match again unless the
 * slot is reused 2^31 times while the handle is held.
 *
 * The hold: a simulation nearly always schedules an event right after
 * popping one. So a pop leaves its entry at the root, consumed (its slot
 * already free), and the next schedule puts the new entry in its place with
 * one sift down, instead of a sift down for the pop and a sift up for the
 * schedule; a pop with no schedule in between removes the consumed entry
 * first. Nothing can be ordered before a consumed root (a new event is never
 * earlier than the one just popped), so it stays at the root until then.
 */
#include "sim/calendar.h"
#include "sim/mem.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    double at;
    uint64_t seq;
    uint32_t slot;
};

/* (time, sequence) as one unsigned 128-bit number: times are >= 0, and a
 * non-negative double orders like its bit pattern, so one integer
 * comparison orders events (cmp and sbb, no branch). */
__extension__ typedef unsigned __int128 key128;

static inline key128 key(const struct entry *e)
{
    uint64_t bits;
    memcpy(&bits, &e->at, sizeof bits);
    return (key128)bits << 64 | e->seq;
}

struct slot {
    void *data;
    int kind;
    uint32_t gen;   /* odd: in use */
    uint32_t pos;   /* heap index when in use; next free slot when free */
};

#define NO_SLOT UINT32_MAX

size_t sim_calendar_bytes_per_event(void)
{
    return 2 * (sizeof(struct entry) + sizeof(struct slot));
}

struct sim_calendar {
    struct entry *heap;
    size_t n, cap;          /* n counts a consumed root */
    bool consumed;          /* heap[0] is the event last popped (the hold) */
    struct slot *slots;
    uint32_t nslots, free_head;
    uint64_t seq;
    double now;
};

struct sim_calendar *sim_calendar_create(double start, size_t hint)
{
    assert(start >= 0 && !signbit(start) && "times are minutes from 0 on");
    struct sim_calendar *c = sim_xcalloc(1, sizeof *c);
    c->cap = hint > 16 ? hint : 16;
    c->heap = sim_xreallocarray(NULL, c->cap, sizeof *c->heap);
    c->slots = sim_xreallocarray(NULL, c->cap, sizeof *c->slots);
    c->free_head = NO_SLOT;
    c->now = start;
    return c;
}

void sim_calendar_destroy(struct sim_calendar *c)
{
    if (!c)
        return;
    free(c->heap);
    free(c->slots);
    free(c);
}

void sim_calendar_reset(struct sim_calendar *c, double start)
{
    assert(start >= 0 && !signbit(start) && "times are minutes from 0 on");
    /* Free every slot in use, bumping its generation so old handles die
     * (a consumed root's slot is free already). */
    for (size_t i = c->consumed ? 1 : 0; i < c->n; i++) {
        struct slot *s = &c->slots[c->heap[i].slot];
        s->gen++;
        s->pos = c->free_head;
        c->free_head = c->heap[i].slot;
    }
    c->n = 0;
    c->consumed = false;
    c->seq = 0;
    c->now = start;
}

double sim_calendar_now(const struct sim_calendar *c) { return c->now; }
size_t sim_calendar_size(const struct sim_calendar *c) { return c->n - c->consumed; }

double sim_calendar_next_at(const struct sim_calendar *c)
{
    if (!c->consumed)
        return c->n ? c->heap[0].at : INFINITY;
    /* under a consumed root, the next event is one of its two children */
    if (c->n < 2)
        return INFINITY;
    if (c->n == 2)
        return c->heap[1].at;
    return c->heap[1].at < c->heap[2].at ? c->heap[1].at : c->heap[2].at;
}

static inline bool before(const struct entry *a, const struct entry *b)
{
    return key(a) < key(b);
}

static inline void place(struct sim_calendar *c, size_t i, struct entry e)
{
    c->heap[i] = e;
    c->slots[e.slot].pos = (uint32_t)i;
}

static void sift_up(struct sim_calendar *c, size_t i, struct entry e)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&e, &c->heap[parent]))
            break;
        place(c, i, c->heap[parent]);
        i = parent;
    }
    place(c, i, e);
}

static void sift_down(struct sim_calendar *c, size_t i, struct entry e)
{
    const struct entry *h = c->heap;
    size_t n = c->n;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n)
            child += before(&h[child + 1], &h[child]);   /* arithmetic: no branch to mispredict */
        if (!before(&h[child], &e))
            break;
        place(c, i, h[child]);
        i = child;
    }
    place(c, i, e);
}

static uint32_t slot_take(struct sim_calendar *c)
{
    uint32_t s = c->free_head;
    if (s != NO_SLOT) {
        c->free_head = c->slots[s].pos;
    } else {
        assert(c->nslots < NO_SLOT);
        s = c->nslots++;
        /* slots and heap grow together: nslots <= cap is kept */
        c->slots[s].gen = 0;
    }
    c->slots[s].gen++;   /* now odd: in use */
    return s;
}

static void slot_release(struct sim_calendar *c, uint32_t s)
{
    c->slots[s].gen++;   /* now even: free */
    c->slots[s].pos = c->free_head;
    c->free_head = s;
}

sim_handle sim_calendar_schedule(struct sim_calendar *c, double at, int kind, void *data)
{
    assert(!isnan(at) && at >= c->now && "event scheduled in the past");
    assert(!signbit(at) && "a time below zero would not order as its bits");
    if (c->free_head == NO_SLOT && c->nslots == c->cap) {   /* n <= nslots */
        c->cap *= 2;
        c->heap = sim_xreallocarray(c->heap, c->cap, sizeof *c->heap);
        c->slots = sim_xreallocarray(c->slots, c->cap, sizeof *c->slots);
    }
    uint32_t s = slot_take(c);
    c->slots[s].data = data;
    c->slots[s].kind = kind;
    struct entry e = {at, c->seq++, s};
    if (c->consumed) {
        c->consumed = false;
        sift_down(c, 0, e);   /* in the consumed root's place */
    } else {
        c->n++;
        sift_up(c, c->n - 1, e);
    }
    return ((uint64_t)c->slots[s].gen << 32) | ((uint64_t)s + 1);
}

/* Returns the slot h names when it is live, else NO_SLOT. */
static uint32_t live_slot(const struct sim_calendar *c, sim_handle h)
{
    uint64_t low = h & 0xffffffffu;
    if (low == 0 || low > c->nslots)
        return NO_SLOT;
    uint32_t s = (uint32_t)(low - 1);
    uint32_t gen = (uint32_t)(h >> 32);
    if (c->slots[s].gen != gen || (gen & 1u) == 0)
        return NO_SLOT;
    return s;
}

bool sim_calendar_pending(const struct sim_calendar *c, sim_handle h)
{
    return live_slot(c, h) != NO_SLOT;
}

/* Removes heap entry i, keeping the heap ordered. */
static void remove_at(struct sim_calendar *c, size_t i)
{
    struct entry last = c->heap[--c->n];
    if (i == c->n)
        return;
    if (i > 0 && before(&last, &c->heap[(i - 1) / 2]))
        sift_up(c, i, last);
    else
        sift_down(c, i, last);
}

bool sim_calendar_cancel(struct sim_calendar *c, sim_handle h)
{
    uint32_t s = live_slot(c, h);
    if (s == NO_SLOT)
        return false;
    remove_at(c, c->slots[s].pos);
    slot_release(c, s);
    return true;
}

bool sim_calendar_pop(struct sim_calendar *c, struct sim_event *ev)
{
    if (c->consumed) {
        c->consumed = false;
        remove_at(c, 0);
    }
    if (c->n == 0)
        return false;
    struct entry top = c->heap[0];
    const struct slot *s = &c->slots[top.slot];
    ev->at = top.at;
    ev->kind = s->kind;
    ev->data = s->data;
    slot_release(c, top.slot);
    c->consumed = true;   /* removed by the next pop, or replaced by the next schedule */
    c->now = top.at;
    return true;
}

void sim_calendar_advance(struct sim_calendar *c, double at)
{
    assert(at >= c->now && at <= sim_calendar_next_at(c));
    c->now = at;
}
