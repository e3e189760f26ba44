#ifndef CUDPBATCH_H
#define CUDPBATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/// A batch of UDP datagrams read with one recvmmsg and answered with one sendmmsg: the
/// request slots, the reply slots, the source addresses and the mmsghdr/iovec arrays are
/// allocated once and reused for every batch. Swift cannot reach recvmmsg, sendmmsg or
/// struct mmsghdr through Glibc (they need _GNU_SOURCE), hence this small C part.
typedef struct cudp_batch cudp_batch;

/// A batch of `count` slots: requests up to `request_size` octets (a longer datagram is
/// cut by the kernel and flagged truncated), replies up to `reply_size`. NULL when out of memory.
cudp_batch *cudp_batch_create(int count, int request_size, int reply_size);
void cudp_batch_destroy(cudp_batch *batch);

/// The number of slots.
int cudp_batch_capacity(const cudp_batch *batch);

/// Reads up to the batch's capacity of datagrams from `fd` without waiting; every reply
/// length is reset to 0. Returns how many were read (0 when none is waiting), or -errno.
int cudp_batch_receive(cudp_batch *batch, int fd);

/// The request in slot `index`: its octets and length, and whether the kernel cut it short.
const uint8_t *cudp_batch_request(const cudp_batch *batch, int index, int *length, bool *truncated);

/// The address the request in slot `index` came from (where its reply goes).
struct sockaddr *cudp_batch_source(cudp_batch *batch, int index);

/// Where the reply for slot `index` is written (up to the reply size), and its length
/// once written (0: no reply).
uint8_t *cudp_batch_reply(cudp_batch *batch, int index);
int cudp_batch_reply_size(const cudp_batch *batch);
void cudp_batch_set_reply_length(cudp_batch *batch, int index, int length);

/// Sends every reply of the batch with sendmmsg. A reply the kernel refuses (the
/// destination unreachable, a bad address) is skipped and the others still go.
/// Returns how many were sent; `failed` gets how many were skipped.
int cudp_batch_send(cudp_batch *batch, int fd, int *failed);

#endif
