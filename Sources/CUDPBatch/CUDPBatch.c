#define _GNU_SOURCE
#include "CUDPBatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

struct cudp_batch {
    int count;
    int request_size;
    int reply_size;
    int received;
    struct mmsghdr *receive_headers;
    struct iovec *receive_vectors;
    struct sockaddr_storage *sources;
    uint8_t *requests;
    struct mmsghdr *send_headers;
    struct iovec *send_vectors;
    uint8_t *replies;
    int *reply_lengths;
};

cudp_batch *cudp_batch_create(int count, int request_size, int reply_size) {
    if (count <= 0 || request_size <= 0 || reply_size <= 0) return NULL;
    cudp_batch *batch = calloc(1, sizeof(cudp_batch));
    if (!batch) return NULL;
    batch->count = count;
    batch->request_size = request_size;
    batch->reply_size = reply_size;
    batch->receive_headers = calloc((size_t)count, sizeof(struct mmsghdr));
    batch->receive_vectors = calloc((size_t)count, sizeof(struct iovec));
    batch->sources = calloc((size_t)count, sizeof(struct sockaddr_storage));
    batch->requests = malloc((size_t)count * (size_t)request_size);
    batch->send_headers = calloc((size_t)count, sizeof(struct mmsghdr));
    batch->send_vectors = calloc((size_t)count, sizeof(struct iovec));
    batch->replies = malloc((size_t)count * (size_t)reply_size);
    batch->reply_lengths = calloc((size_t)count, sizeof(int));
    if (!batch->receive_headers || !batch->receive_vectors || !batch->sources || !batch->requests || !batch->send_headers
        || !batch->send_vectors || !batch->replies || !batch->reply_lengths) {
        cudp_batch_destroy(batch);
        return NULL;
    }
    for (int i = 0; i < count; i++) {
        batch->receive_vectors[i].iov_base = batch->requests + (size_t)i * (size_t)request_size;
        batch->receive_vectors[i].iov_len = (size_t)request_size;
        batch->receive_headers[i].msg_hdr.msg_iov = &batch->receive_vectors[i];
        batch->receive_headers[i].msg_hdr.msg_iovlen = 1;
        batch->receive_headers[i].msg_hdr.msg_name = &batch->sources[i];
    }
    return batch;
}

void cudp_batch_destroy(cudp_batch *batch) {
    if (!batch) return;
    free(batch->receive_headers);
    free(batch->receive_vectors);
    free(batch->sources);
    free(batch->requests);
    free(batch->send_headers);
    free(batch->send_vectors);
    free(batch->replies);
    free(batch->reply_lengths);
    free(batch);
}

int cudp_batch_capacity(const cudp_batch *batch) { return batch->count; }

int cudp_batch_receive(cudp_batch *batch, int fd) {
    for (int i = 0; i < batch->count; i++) {
        // recvmmsg overwrites these with what it read; they must be reset for each batch.
        batch->receive_headers[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
        batch->receive_headers[i].msg_hdr.msg_flags = 0;
        batch->receive_headers[i].msg_len = 0;
        batch->reply_lengths[i] = 0;
    }
    batch->received = 0;
    for (;;) {
        int n = recvmmsg(fd, batch->receive_headers, (unsigned int)batch->count, MSG_DONTWAIT, NULL);
        if (n >= 0) {
            batch->received = n;
            return n;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        return -errno;
    }
}

const uint8_t *cudp_batch_request(const cudp_batch *batch, int index, int *length, bool *truncated) {
    const struct mmsghdr *header = &batch->receive_headers[index];
    *length = (int)header->msg_len;
    *truncated = (header->msg_hdr.msg_flags & MSG_TRUNC) != 0;
    return batch->requests + (size_t)index * (size_t)batch->request_size;
}

struct sockaddr *cudp_batch_source(cudp_batch *batch, int index) {
    return (struct sockaddr *)&batch->sources[index];
}

uint8_t *cudp_batch_reply(cudp_batch *batch, int index) {
    return batch->replies + (size_t)index * (size_t)batch->reply_size;
}

int cudp_batch_reply_size(const cudp_batch *batch) { return batch->reply_size; }

void cudp_batch_set_reply_length(cudp_batch *batch, int index, int length) {
    batch->reply_lengths[index] = length < 0 ? 0 : (length > batch->reply_size ? 0 : length);
}

int cudp_batch_send(cudp_batch *batch, int fd, int *failed) {
    int pending = 0;
    for (int i = 0; i < batch->received; i++) {
        if (batch->reply_lengths[i] <= 0) continue;
        struct mmsghdr *header = &batch->send_headers[pending];
        batch->send_vectors[pending].iov_base = cudp_batch_reply(batch, i);
        batch->send_vectors[pending].iov_len = (size_t)batch->reply_lengths[i];
        memset(&header->msg_hdr, 0, sizeof(header->msg_hdr));
        header->msg_hdr.msg_iov = &batch->send_vectors[pending];
        header->msg_hdr.msg_iovlen = 1;
        header->msg_hdr.msg_name = &batch->sources[i];
        header->msg_hdr.msg_namelen = batch->receive_headers[i].msg_hdr.msg_namelen;
        header->msg_len = 0;
        pending++;
    }
    int sent = 0, skipped = 0, start = 0;
    // Each round sends at least one reply or skips the one the kernel refused, so the
    // loop ends after at most `pending` rounds (EINTR aside).
    while (start < pending) {
        int n = sendmmsg(fd, batch->send_headers + start, (unsigned int)(pending - start), 0);
        if (n > 0) {
            sent += n;
            start += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            // The error is the first remaining reply's: that client only.
            skipped++;
            start++;
        }
    }
    if (failed) *failed = skipped;
    return sent;
}
