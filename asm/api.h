/* asm/api.h -- C prototypes of the assembly functions, one section per
 * lesson.  Tests (and, later, mixed C++/asm builds) call them through the
 * C calling convention; each mirrors the C++ function of the same name in
 * namespace httpd (cpp/NN-*.hpp).  Failure is a negative number (-errno),
 * as in the C++ twins. */
#ifndef METAL_HTTPD_ASM_API_H
#define METAL_HTTPD_ASM_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* lesson 00 -- asm/00-syscalls.s */
size_t str_len(const char *s);
int64_t write_all(int fd, const void *buf, size_t len);
size_t format_u64(uint64_t value, char *out);

/* lesson 01 -- asm/01-socket.s.  struct config mirrors asm/records.inc,
 * section CONFIG (checked below).  The head builders never write past
 * HEAD_MAX bytes: a field that does not fit whole is left out (2 bytes
 * always stay free for head_end). */
#include "records.h"

struct config {                       /* what parse_args fills in */
    uint64_t port;                    /* 0..65535, 0 = any free port */
    const char *docroot;              /* argv[2], or "." */
};

#ifdef __cplusplus
static_assert(offsetof(struct config, port) == CFG_PORT, "records.inc CFG_PORT");
static_assert(offsetof(struct config, docroot) == CFG_DOCROOT, "records.inc CFG_DOCROOT");
static_assert(sizeof(struct config) == CFG_SIZE, "records.inc CFG_SIZE");
#endif

int parse_port(const char *s);
int parse_args(int argc, char **argv, struct config *cfg);
int64_t write_str(int fd, const char *s);
const char *reason_phrase(int status);
char *copy_bytes(char *dst, const char *src, size_t n);
size_t head_start(char *out, int status);
size_t head_add(char *out, size_t len, const char *name, const char *value);
size_t head_add_u64(char *out, size_t len, const char *name, uint64_t value);
size_t head_end(char *out, size_t len);
int64_t send_hello(int fd);
int64_t open_listener(int port);
int listening_port(int fd);
int64_t say_listening(int port);
int64_t say_listen_error(int port, int64_t err);
int64_t accept_client(int listener);
int64_t ignore_signal(int sig);

/* lesson 02 -- asm/02-fork.s.  The child runs handler(conn, cfg), then
 * exits with status 0; fork_connection returns the child's pid in the
 * parent, or -errno (the connection is closed either way in the parent). */
typedef void (*connection_handler)(int conn, const struct config *cfg);
int64_t fork_connection(int listener, int conn, connection_handler handler, const struct config *cfg);

#ifdef __cplusplus
}
#endif

#endif
