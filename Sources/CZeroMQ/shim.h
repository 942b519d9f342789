#ifndef CZEROMQ_SHIM_H
#define CZEROMQ_SHIM_H

#include <zmq.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <malloc.h>

/* Glibc's Swift module does not export eventfd; these wrappers keep the
   wake-up primitive of the socket-owner thread visible to Swift. */
static inline int czmq_eventfd_create(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

static inline int czmq_eventfd_signal(int fd) {
    uint64_t one = 1;
    return (int)write(fd, &one, sizeof(one));
}

static inline int czmq_eventfd_drain(int fd) {
    uint64_t value = 0;
    return (int)read(fd, &value, sizeof(value));
}

static inline int czmq_errno(void) { return errno; }

/* Cuts off a peer of a libzmq socket without closing its descriptor (libzmq's
   I/O thread owns it and sees the peer as gone). */
static inline int czmq_shutdown_peer(int fd) {
    return shutdown(fd, SHUT_RDWR);
}

/* Gives freed heap memory back to the system (libzmq's subscription trie is many
   small blocks malloc would otherwise keep). */
static inline int czmq_release_free_memory(void) {
    return malloc_trim(0);
}

#endif
