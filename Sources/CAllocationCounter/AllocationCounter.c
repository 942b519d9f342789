// A malloc counter for the benchmarks (issue 18 §3: "count allocations per message"). Defining
// the allocation functions in the executable interposes them for the whole process, the Swift
// runtime and libzmq included; each forwards to glibc's own entry point and, while counting is
// on, adds one to a counter of the calling thread. Only krakenbridge-bench links this.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "CAllocationCounter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static volatile int counting;
static __thread uint64_t allocations;

void kb_allocation_counting(int enabled) { counting = enabled; }

uint64_t kb_allocations_of_this_thread(void) { return allocations; }

static inline void count_one(void) {
    if (counting) allocations += 1;
}

void *malloc(size_t size) {
    count_one();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_one();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_one();
    return __libc_realloc(pointer, size);
}

void free(void *pointer) { __libc_free(pointer); }

void *memalign(size_t alignment, size_t size) {
    count_one();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_one();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    count_one();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}
