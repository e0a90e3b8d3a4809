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

#ifdef __cplusplus
}
#endif

#endif
