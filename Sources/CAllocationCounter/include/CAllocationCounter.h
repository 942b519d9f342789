#ifndef C_ALLOCATION_COUNTER_H
#define C_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Starts or stops counting. While on, every malloc, calloc, realloc and aligned allocation
/// of the process goes through a counter of the calling thread.
void kb_allocation_counting(int enabled);

/// The allocations the calling thread made while counting was on.
uint64_t kb_allocations_of_this_thread(void);

#endif
