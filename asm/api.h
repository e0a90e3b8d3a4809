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
    int64_t docroot_fd;               /* -1; lesson 06's open_docroot opens it */
    uint64_t write;                   /* lesson 09, -w: 1 = PUT and DELETE allowed */
    const char *error_dir;            /* lesson 09, -e DIR, or NULL */
    int64_t error_fd;                 /* -1; lesson 09's open_error_pages opens it */
    const char *deadline_arg;         /* lesson 10, -t SECONDS as given, or NULL */
    const char *child_limit_arg;      /* lesson 10, -c N as given, or NULL */
    uint64_t deadline;                /* lesson 10: seconds (DEADLINE_DEFAULT without -t) */
    uint64_t child_limit;             /* lesson 10: children at once (CHILD_LIMIT_DEFAULT without -c) */
};

#ifdef __cplusplus
static_assert(offsetof(struct config, port) == CFG_PORT, "records.inc CFG_PORT");
static_assert(offsetof(struct config, docroot) == CFG_DOCROOT, "records.inc CFG_DOCROOT");
static_assert(offsetof(struct config, docroot_fd) == CFG_DOCROOT_FD, "records.inc CFG_DOCROOT_FD");
static_assert(offsetof(struct config, write) == CFG_WRITE, "records.inc CFG_WRITE");
static_assert(offsetof(struct config, error_dir) == CFG_ERROR_DIR, "records.inc CFG_ERROR_DIR");
static_assert(offsetof(struct config, error_fd) == CFG_ERROR_FD, "records.inc CFG_ERROR_FD");
static_assert(offsetof(struct config, deadline_arg) == CFG_DEADLINE_ARG, "records.inc CFG_DEADLINE_ARG");
static_assert(offsetof(struct config, child_limit_arg) == CFG_CHILD_LIMIT_ARG, "records.inc CFG_CHILD_LIMIT_ARG");
static_assert(offsetof(struct config, deadline) == CFG_DEADLINE, "records.inc CFG_DEADLINE");
static_assert(offsetof(struct config, child_limit) == CFG_CHILD_LIMIT, "records.inc CFG_CHILD_LIMIT");
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
size_t head_start_body(char *out, int status, const char *type, uint64_t length);
size_t head_end(char *out, size_t len);
int64_t send_hello(int fd);
int64_t open_listener(int port);
int listening_port(int fd);
int64_t say_listening(int port);
int64_t say_errno(int64_t err);
int64_t say_listen_error(int port, int64_t err);
int64_t accept_client(int listener);
int64_t ignore_signal(int sig);
size_t head_add_lines(char *out, size_t len, const char *lines, size_t n);

struct exchange;                      /* the per-connection record: below */
void start_exchange(struct exchange *x, int sock, const struct config *cfg);
int add_extra(struct exchange *x, const char *name, const char *value);
int step_read_once(struct exchange *x);
int step_hello(struct exchange *x);

/* lesson 02 -- asm/02-fork.s.  The child runs handler(conn, cfg), then
 * exits with status 0; fork_connection returns the child's pid in the
 * parent, or -errno (the connection is closed either way in the parent). */
typedef void (*connection_handler)(int conn, const struct config *cfg);
int64_t fork_connection(int listener, int conn, connection_handler handler, const struct config *cfg);

/* lesson 03 -- asm/03-parse.s.  The records' layout is asm/records.inc,
 * section REQUEST; the Makefile turns its .equ lines into #defines in
 * build/gen/records.h (included above), and the static_asserts below
 * check every field.  read_request_head returns a length, 0 or -status
 * (and stores the bytes read in *got); parse_content_length the value or
 * -400; linger_close the number of bytes it read and dropped. */

struct header_field {                 /* one `name: value` line */
    const char *name;
    uint64_t name_len;
    const char *value;                /* without the whitespace around it */
    uint64_t value_len;
};

struct request {                      /* what parse_request fills in */
    const char *method;
    uint64_t method_len;
    const char *target;
    uint64_t target_len;
    const char *path;
    uint64_t path_len;
    const char *query;                /* NULL, 0 when there is no '?' */
    uint64_t query_len;
    uint64_t method_id;               /* METHOD_* */
    uint64_t version_minor;           /* HTTP/1.<minor> */
    uint64_t is_head;
    uint64_t header_count;
    uint64_t body_kind;               /* BODY_* (parse_framing) */
    uint64_t content_length;          /* when body_kind is BODY_LENGTH */
    struct header_field headers[REQ_MAX_HEADERS];
};

#ifdef __cplusplus
static_assert(offsetof(struct header_field, name) == HDR_NAME_PTR, "records.inc HDR_NAME_PTR");
static_assert(offsetof(struct header_field, name_len) == HDR_NAME_LEN, "records.inc HDR_NAME_LEN");
static_assert(offsetof(struct header_field, value) == HDR_VALUE_PTR, "records.inc HDR_VALUE_PTR");
static_assert(offsetof(struct header_field, value_len) == HDR_VALUE_LEN, "records.inc HDR_VALUE_LEN");
static_assert(sizeof(struct header_field) == HDR_SIZE, "records.inc HDR_SIZE");
static_assert(offsetof(struct request, method) == REQ_METHOD_PTR, "records.inc REQ_METHOD_PTR");
static_assert(offsetof(struct request, method_len) == REQ_METHOD_LEN, "records.inc REQ_METHOD_LEN");
static_assert(offsetof(struct request, target) == REQ_TARGET_PTR, "records.inc REQ_TARGET_PTR");
static_assert(offsetof(struct request, target_len) == REQ_TARGET_LEN, "records.inc REQ_TARGET_LEN");
static_assert(offsetof(struct request, path) == REQ_PATH_PTR, "records.inc REQ_PATH_PTR");
static_assert(offsetof(struct request, path_len) == REQ_PATH_LEN, "records.inc REQ_PATH_LEN");
static_assert(offsetof(struct request, query) == REQ_QUERY_PTR, "records.inc REQ_QUERY_PTR");
static_assert(offsetof(struct request, query_len) == REQ_QUERY_LEN, "records.inc REQ_QUERY_LEN");
static_assert(offsetof(struct request, method_id) == REQ_METHOD_ID, "records.inc REQ_METHOD_ID");
static_assert(offsetof(struct request, version_minor) == REQ_VERSION_MINOR, "records.inc REQ_VERSION_MINOR");
static_assert(offsetof(struct request, is_head) == REQ_IS_HEAD, "records.inc REQ_IS_HEAD");
static_assert(offsetof(struct request, header_count) == REQ_HEADER_COUNT, "records.inc REQ_HEADER_COUNT");
static_assert(offsetof(struct request, body_kind) == REQ_BODY_KIND, "records.inc REQ_BODY_KIND");
static_assert(offsetof(struct request, content_length) == REQ_CONTENT_LENGTH, "records.inc REQ_CONTENT_LENGTH");
static_assert(offsetof(struct request, headers) == REQ_HEADERS, "records.inc REQ_HEADERS");
/* parse_content_length checks the limit after every digit: one more digit
 * on top of REQ_CONTENT_LENGTH_MAX must still fit in 63 bits */
static_assert(REQ_CONTENT_LENGTH_MAX <= (INT64_MAX - 9) / 10, "records.inc REQ_CONTENT_LENGTH_MAX");
static_assert(sizeof(struct request) == REQ_SIZE, "records.inc REQ_SIZE");
#endif

int64_t read_request_head(int fd, char *buf, size_t cap, uint64_t *got);
size_t find_byte(const char *p, size_t len, int c);
int char_in_class(int c, const char *symbols);
int is_tchar(int c);
int is_host_char(int c);
int equal_ignoring_case(const char *a, size_t alen, const char *b, size_t blen);
int parse_method(const char *p, size_t len, struct request *req);
int parse_version(const char *p, size_t len, struct request *req);
void split_path_query(const char *p, size_t len, struct request *req);
int parse_target(const char *p, size_t len, struct request *req);
int parse_request_line(const char *line, size_t len, struct request *req);
int parse_header_line(const char *line, size_t len, struct request *req);
const struct header_field *find_header(const struct request *req, const char *name, size_t name_len);
int count_header(const struct request *req, const char *name, size_t name_len);
int check_host(const struct request *req);
void reset_request(struct request *req);
int parse_request(const char *buf, size_t len, struct request *req);
int64_t parse_content_length(const char *p, size_t len);
size_t next_list_element(const char *p, size_t len, const char **element, size_t *element_len);
int coding_kind(const char *p, size_t len);
int check_transfer_encoding(const struct request *req);
int parse_framing(struct request *req);
int method_status(int method_id);
size_t text_append(char *out, size_t pos, size_t cap, const char *src, size_t n);
size_t echo_line(char *out, size_t pos, size_t cap, const char *label, size_t label_len,
                 const char *value, size_t value_len);
size_t echo_body(const struct request *req, char *out, size_t cap);
int64_t send_error(int fd, int status, int is_head, const char *extra, size_t extra_len);
int64_t send_echo(int fd, const struct request *req);
int begins_with_head(const char *buf);
int step_read_head(struct exchange *x);
int step_parse_head(struct exchange *x);
int step_check_framing(struct exchange *x);
int step_check_method(struct exchange *x);
int step_echo(struct exchange *x);
void answer_error(struct exchange *x, int status);
uint64_t linger_close(struct exchange *x);

/* lesson 04 -- asm/04-files.s.  map_path and add_index return a length
 * or -414; the body senders 0 or -errno; the steps STEP_NEXT, STEP_DONE or
 * a status. */
int64_t map_path(const char *docroot, const char *path, size_t path_len, char *out, size_t cap);
int64_t add_index(char *path, size_t len, size_t cap);
const char *mime_type(const char *path, size_t len);
int errno_to_status(int err);
int64_t copy_file_body(int sock, int file_fd, uint64_t offset, uint64_t count);
int64_t send_file_body(int sock, int file_fd, uint64_t first, uint64_t count);
int64_t send_file_counted(int sock, int file_fd, uint64_t first, uint64_t count, uint64_t *sent);
int step_copy_path(struct exchange *x);
int step_add_index(struct exchange *x);
int step_open_file(struct exchange *x);
int step_stat_file(struct exchange *x);
int step_check_file(struct exchange *x);
int step_choose_type(struct exchange *x);
int step_send_head(struct exchange *x);
int step_send_body(struct exchange *x);

/* lesson 05 -- asm/05-decode.s.  hex_value returns 0..15 or -1;
 * percent_decode the decoded length, -400 (a '%' without two hex digits,
 * a control byte in the output) or -414 (it would pass cap); the step
 * STEP_NEXT or a status (400, 414). */
int hex_value(int c);
int64_t percent_decode(const char *in, size_t len, char *out, size_t cap);
int step_decode_path(struct exchange *x);

/* lesson 06 -- asm/06-traversal.s.  normalize_path returns the new length
 * or -403; open_failure_status a status; open_beneath a descriptor or
 * -status (403, 404, 414, 500); open_docroot 0 or -errno (the message is
 * on stderr); say_docroot_error what the last write returned; the steps
 * STEP_NEXT or a status. */
int64_t normalize_path(char *path, size_t len);
int step_normalize_path(struct exchange *x);
int open_failure_status(int dirfd, const char *name, int err);
int64_t open_beneath(int dirfd, const char *path, size_t len);
int step_open_beneath(struct exchange *x);
int64_t say_docroot_error(const char *docroot, int64_t err);
int64_t open_docroot(struct config *cfg);

/* lesson 07 -- asm/07-ranges.s.  parse_decimal returns 0 or -1;
 * parse_range_spec and parse_range return RANGE_IGNORE, RANGE_OK or
 * RANGE_UNSATISFIABLE (records.inc, RANGES) and write *first and *count
 * only for RANGE_OK; format_content_range writes a C string into
 * CONTENT_RANGE_MAX bytes and returns its length; the step returns
 * STEP_NEXT or 416. */
int parse_decimal(const char *p, size_t len, uint64_t *value);
int parse_range_spec(const char *spec, size_t len, uint64_t size, uint64_t *first, uint64_t *count);
int parse_range(const char *value, size_t len, uint64_t size, uint64_t *first, uint64_t *count);
size_t format_content_range(char *out, uint64_t first, uint64_t count, uint64_t size);
const struct header_field *single_header(const struct request *req, const char *name, size_t name_len);
int step_parse_range(struct exchange *x);
int answer_range(struct exchange *x, const char *value, size_t len);   /* lesson 11 reuses it */

/* lesson 08 -- asm/08-listing.s.  The records mirror asm/records.inc,
 * section LISTING (checked below).  The readers return a count or a
 * length, 0 at the end, -errno on failure; open_index 1, 0 or 403; the steps
 * STEP_NEXT, STEP_DONE or a status. */
struct dir_reader {                   /* one directory, read block by block */
    int64_t fd;
    uint64_t pos;                     /* the next record in buf */
    uint64_t len;                     /* bytes of records in buf */
    uint64_t eof;                     /* 1: no block left to read */
    int64_t base;                     /* getdirentries64's *position (Darwin) */
    uint64_t unused;
    char buf[DIRENT_BUF_MAX];
};
struct dir_entry {                    /* one name of the listing */
    const char *name;                 /* not NUL-terminated */
    uint64_t name_len;
    uint64_t file_size;               /* st_size (of a symlink itself) */
    uint64_t file_mode;               /* st_mode */
};
struct listing_out {                  /* the page being written (or counted) */
    int64_t sock;                     /* -1: count only */
    uint64_t len;                     /* bytes waiting in buf */
    uint64_t total;                   /* bytes added so far */
    uint64_t sent;                    /* bytes written to sock so far */
    char buf[LISTING_OUT_MAX];
};

#ifdef __cplusplus
static_assert(offsetof(struct dir_reader, fd) == DIR_FD, "records.inc DIR_FD");
static_assert(offsetof(struct dir_reader, pos) == DIR_POS, "records.inc DIR_POS");
static_assert(offsetof(struct dir_reader, len) == DIR_LEN, "records.inc DIR_LEN");
static_assert(offsetof(struct dir_reader, eof) == DIR_EOF, "records.inc DIR_EOF");
static_assert(offsetof(struct dir_reader, base) == DIR_BASE, "records.inc DIR_BASE");
static_assert(offsetof(struct dir_reader, buf) == DIR_BUF, "records.inc DIR_BUF");
static_assert(sizeof(struct dir_reader) == DIR_SIZE, "records.inc DIR_SIZE");
static_assert(offsetof(struct dir_entry, name) == ENT_NAME_PTR, "records.inc ENT_NAME_PTR");
static_assert(offsetof(struct dir_entry, name_len) == ENT_NAME_LEN, "records.inc ENT_NAME_LEN");
static_assert(offsetof(struct dir_entry, file_size) == ENT_FILE_SIZE, "records.inc ENT_FILE_SIZE");
static_assert(offsetof(struct dir_entry, file_mode) == ENT_FILE_MODE, "records.inc ENT_FILE_MODE");
static_assert(sizeof(struct dir_entry) == ENT_SIZE, "records.inc ENT_SIZE");
static_assert(offsetof(struct listing_out, sock) == OUT_SOCK, "records.inc OUT_SOCK");
static_assert(offsetof(struct listing_out, len) == OUT_LEN, "records.inc OUT_LEN");
static_assert(offsetof(struct listing_out, total) == OUT_TOTAL, "records.inc OUT_TOTAL");
static_assert(offsetof(struct listing_out, sent) == OUT_SENT, "records.inc OUT_SENT");
static_assert(offsetof(struct listing_out, buf) == OUT_BUF, "records.inc OUT_BUF");
static_assert(sizeof(struct listing_out) == OUT_SIZE, "records.inc OUT_SIZE");
#endif

int64_t dir_start(struct dir_reader *r, int fd);
int64_t dir_next(struct dir_reader *r, const char **name);
int listable_name(const char *p, size_t n);
int64_t count_entries(int dir_fd, uint64_t *name_bytes);
int64_t read_entries(int dir_fd, struct dir_entry *entries, size_t max, char *names, size_t names_cap);
int compare_names(const char *a, size_t alen, const char *b, size_t blen);
void sift_down(struct dir_entry *e, size_t root, size_t n);
void sort_entries(struct dir_entry *e, size_t n);
void out_start(struct listing_out *o, int sock);
void out_flush(struct listing_out *o);
void out_bytes(struct listing_out *o, const char *p, size_t n);
void out_u64(struct listing_out *o, uint64_t value);
void out_html(struct listing_out *o, const char *p, size_t n);
void out_percent(struct listing_out *o, const char *p, size_t n, const char *keep);
void out_href(struct listing_out *o, const char *p, size_t n);
void out_query(struct listing_out *o, const char *p, size_t n);
void emit_entry(struct listing_out *o, const struct dir_entry *e);
void emit_listing(struct listing_out *o, const char *path, size_t path_len, const struct dir_entry *e, size_t n);
int redirect_to_slash(struct exchange *x);
int open_index(struct exchange *x);
int send_listing(struct exchange *x);
int step_directory(struct exchange *x);

/* lesson 09 -- asm/09-methods.s.  struct flag_spec mirrors asm/records.inc,
 * section METHODS (checked below); flags_09 is the assembly's table.
 * Helpers return -EINVAL, -errno or -status; steps STEP_NEXT, STEP_DONE or
 * a status. */
struct flag_spec {                    /* one flag of the command line */
    uint64_t letter;                  /* the byte after '-'; 0 ends the table */
    uint64_t kind;                    /* FLAG_SWITCH or FLAG_VALUE */
    uint64_t offset;                  /* where in struct config: CFG_WRITE ... */
    char usage[FLAG_USAGE_MAX];       /* "[-e DIR]" */
};
#ifdef __cplusplus
static_assert(offsetof(struct flag_spec, letter) == FLAG_LETTER, "records.inc FLAG_LETTER");
static_assert(offsetof(struct flag_spec, kind) == FLAG_KIND, "records.inc FLAG_KIND");
static_assert(offsetof(struct flag_spec, offset) == FLAG_OFFSET, "records.inc FLAG_OFFSET");
static_assert(offsetof(struct flag_spec, usage) == FLAG_USAGE, "records.inc FLAG_USAGE");
static_assert(sizeof(struct flag_spec) == FLAG_SPEC_SIZE, "records.inc FLAG_SPEC_SIZE");
#endif
extern const struct flag_spec flags_09[];
const struct flag_spec *find_flag(const struct flag_spec *flags, const char *arg);
int flags_end(const struct flag_spec *flags, int argc, char **argv);
int64_t say_usage(const struct flag_spec *flags);
int parse_command_line(int argc, char **argv, struct config *cfg, const struct flag_spec *flags);
int64_t open_error_pages(struct config *cfg);
const char *allow_value(uint64_t write);
int allowed_method_status(int method_id, uint64_t write);
size_t last_name(const char *path, size_t len);
size_t upload_name(char *out, uint64_t pid);
int upload_errno_status(int err);
int expects_continue(const struct request *req);
const char *error_page(int status);
size_t error_page_name(char *out, int status);
uint64_t now_ms(void);
int64_t receive_body(int sock, int fd, const char *have, uint64_t have_len, uint64_t length, char *buf, size_t cap,
                     uint64_t deadline);
int step_allow_method(struct exchange *x);
int step_answer_options(struct exchange *x);
int step_check_upload(struct exchange *x);
int step_open_parent(struct exchange *x);
int step_store_upload(struct exchange *x);
int step_answer_upload(struct exchange *x);
int step_delete_file(struct exchange *x);
int64_t send_page_head(int fd, int status, uint64_t length, const char *extra, size_t extra_len);
int64_t send_error_page(int fd, int status, int is_head, const char *extra, size_t extra_len, int error_fd);
void answer_error_page(struct exchange *x, int status);

/* lesson 10 -- asm/10-hardening.s.  parse_count returns the number or -1;
 * parse_command_line_10 0 or -EINVAL; wait_readable the revents bits, 0
 * (time ran out) or -errno; head_ready and accept_backoff 1 or 0;
 * reap_children the children still running; wait_clients the listener's
 * revents (0: nobody) or -errno; fork_counted the child's pid or -errno
 * (refuse_client has taken the client then); child_slot the index
 * or -1; block_stop_signals 0 or -errno; stop_requested 1 or 0;
 * shut_down never returns (exit 0). */
extern const struct flag_spec flags_10[];
int64_t parse_count(const char *s, uint64_t max);
int parse_command_line_10(int argc, char **argv, struct config *cfg);
int64_t set_socket_timeout(int sock, int option, uint64_t ms);
int64_t wait_readable(int fd, int timeout_ms);
void pause_ms(int ms);
int head_ready(const char *buf, size_t len);
int64_t child_slot(const int32_t *pids, uint64_t slots, int32_t pid);
void init_children(int32_t *pids, uint64_t slots);
void track_child(int32_t *pids, uint64_t slots, int32_t pid);
uint64_t reap_children(uint64_t children, int32_t *pids, uint64_t slots);
void end_children(int32_t *pids, uint64_t slots);
int64_t block_stop_signals(void);
int stop_requested(void);
void shut_down(int listener, uint64_t children, int32_t *pids, uint64_t slots) __attribute__((noreturn));
int accept_backoff(int64_t err);
size_t drain_ready(int conn, char *buf, size_t cap);
struct refusal {
    int32_t fd;                       /* the connection, or -1: a free slot */
    int32_t answered;                 /* 0: waits for the request; 1: has its 503, lingers */
    uint64_t deadline;                /* now_ms() by which it is answered (0) or closed (1) */
    uint64_t revents;                 /* what wait_clients' poll said of it */
};
static_assert(offsetof(struct refusal, fd) == RS_FD, "records.inc RS_FD");
static_assert(offsetof(struct refusal, answered) == RS_ANSWERED, "records.inc RS_ANSWERED");
static_assert(offsetof(struct refusal, deadline) == RS_DEADLINE, "records.inc RS_DEADLINE");
static_assert(offsetof(struct refusal, revents) == RS_REVENTS, "records.inc RS_REVENTS");
static_assert(sizeof(struct refusal) == RS_SIZE, "records.inc RS_SIZE");
void init_refusals(struct refusal *r);
void close_refusals(struct refusal *r);
int64_t wait_clients(int listener, struct refusal *r);
void answer_refusal(int conn, const struct config *cfg);
void refuse_client(int conn, const struct config *cfg, struct refusal *r);
void tend_refusal(struct refusal *s, const struct config *cfg, uint64_t now);
void tend_refusals(struct refusal *r, const struct config *cfg);
int64_t fork_counted(int listener, int conn, connection_handler handler, const struct config *cfg,
                     struct refusal *r);
int step_arm_deadlines(struct exchange *x);
int step_await_head(struct exchange *x);
int step_arm_body_deadline(struct exchange *x);
void bound_linger(struct exchange *x);

/* lesson 10, the access log -- asm/10-log.s.  civil_time fills *out from
 * seconds since 1970 (UTC); log_request_line returns the request line's
 * length (0: none) and points *line at it; log_escape returns the bytes it
 * wrote; format_log_line the line's length (at most LOG_LINE_MAX);
 * peer_ipv4 the client's address in host byte order, or LOG_NO_ADDR. */
struct civil_time {
    uint64_t year, month, day;        /* 1970.., 1..12, 1..31 */
    uint64_t hour, minute, second;    /* 0..23, 0..59, 0..59 */
    uint64_t weekday;                 /* 0 = Sunday */
};
struct log_entry {
    uint64_t addr;                    /* IPv4, host byte order, or LOG_NO_ADDR */
    uint64_t time;                    /* seconds since 1970 */
    const char *line;                 /* the request line (no CR LF) ... */
    uint64_t line_len;                /* ... 0: none, "-" */
    uint64_t status;
    uint64_t bytes;                   /* 0: "-" */
};
#ifdef __cplusplus
static_assert(offsetof(struct civil_time, year) == CT_YEAR, "records.inc CT_YEAR");
static_assert(offsetof(struct civil_time, month) == CT_MONTH, "records.inc CT_MONTH");
static_assert(offsetof(struct civil_time, day) == CT_DAY, "records.inc CT_DAY");
static_assert(offsetof(struct civil_time, hour) == CT_HOUR, "records.inc CT_HOUR");
static_assert(offsetof(struct civil_time, minute) == CT_MINUTE, "records.inc CT_MINUTE");
static_assert(offsetof(struct civil_time, second) == CT_SECOND, "records.inc CT_SECOND");
static_assert(offsetof(struct civil_time, weekday) == CT_WEEKDAY, "records.inc CT_WEEKDAY");
static_assert(sizeof(struct civil_time) == CT_SIZE, "records.inc CT_SIZE");
static_assert(offsetof(struct log_entry, addr) == LOG_ADDR, "records.inc LOG_ADDR");
static_assert(offsetof(struct log_entry, time) == LOG_TIME, "records.inc LOG_TIME");
static_assert(offsetof(struct log_entry, line) == LOG_LINE_PTR, "records.inc LOG_LINE_PTR");
static_assert(offsetof(struct log_entry, line_len) == LOG_LINE_LEN, "records.inc LOG_LINE_LEN");
static_assert(offsetof(struct log_entry, status) == LOG_STATUS, "records.inc LOG_STATUS");
static_assert(offsetof(struct log_entry, bytes) == LOG_BYTES, "records.inc LOG_BYTES");
static_assert(sizeof(struct log_entry) == LOG_ENTRY_SIZE, "records.inc LOG_ENTRY_SIZE");
#endif
void civil_time(uint64_t seconds, struct civil_time *out);
char *two_digits(char *p, uint64_t v);
size_t log_request_line(const char *buf, size_t len, const char **line);
size_t log_escape(char *out, size_t cap, const char *p, size_t n);
size_t format_log_line(char *out, const struct log_entry *e);
uint64_t peer_ipv4(int sock);
void log_exchange(struct exchange *x);

/* lesson 11 -- asm/11-caching.s.  Times are signed seconds since 1970
 * (an HTTP-date may be anywhere from year 0000 to 9999).  The parsers
 * return 0 and write *out / *value, or -1 and write nothing; the names
 * return their index (month_from_name 1 .. 12) or -1; the conditions 1
 * (holds) or 0; format_http_date writes HTTP_DATE_LEN bytes, no NUL.
 * month_names (asm/10-log.s) is lesson 10's table, global since lesson 11. */
int64_t seconds_from_civil(int64_t year, uint64_t month, uint64_t day, uint64_t hour, uint64_t minute,
                           uint64_t second);
size_t format_http_date(char *out, int64_t seconds);
int parse_digits(const char *p, size_t n, uint64_t *value);
int month_from_name(const char *p, size_t len);
int weekday_short(const char *p, size_t len);
int weekday_long(const char *p, size_t len);
uint64_t days_in_month(int64_t year, uint64_t month);
int http_time(int64_t year, uint64_t month, uint64_t day, uint64_t hour, uint64_t minute, uint64_t second,
              int64_t *out);
int64_t rfc850_year(uint64_t two_digits, int64_t now);
int parse_time_of_day(const char *p, uint64_t *hour, uint64_t *minute, uint64_t *second);
int parse_imf_fixdate(const char *p, size_t len, int64_t *out);
int parse_rfc850_date(const char *p, size_t len, int64_t now, int64_t *out);
int parse_asctime_date(const char *p, size_t len, int64_t *out);
int parse_http_date(const char *p, size_t len, int64_t now, int64_t *out);
int64_t last_modified_time(int64_t mtime, int64_t date);
int modified_since(const char *p, size_t len, int64_t last_modified, int64_t now);
int if_range_holds(const char *p, size_t len, int64_t last_modified, int64_t date, int64_t now);
int step_stamp_date(struct exchange *x);
int answer_not_modified(struct exchange *x);
int step_last_modified(struct exchange *x);
int step_check_conditions(struct exchange *x);
int step_parse_range_11(struct exchange *x);
int step_check_unmodified(struct exchange *x);

/* The per-connection record every step works on: asm/records.inc,
 * section EXCHANGE (C++: httpd::Exchange in cpp/exchange.hpp). */
struct exchange {
    int64_t sock;                     /* the connection */
    const struct config *cfg;
    uint64_t status;                  /* 200 until a step decides otherwise */
    uint64_t head_len;                /* bytes of the request head in buf */
    uint64_t read_len;                /* bytes read into buf: the head and what followed */
    uint64_t linger;                  /* 1: linger_close drains unread request bytes */
    uint64_t path_len;                /* bytes of the path in path[] */
    int64_t file_fd;                  /* the open file, -1 when none */
    uint64_t file_mode;
    uint64_t file_size;
    const char *type;                 /* Content-Type */
    uint64_t body_first;              /* the body: bytes body_first .. */
    uint64_t body_len;                /* ... body_first + body_len - 1 of the file */
    uint64_t extra_len;
    uint64_t body_deadline;           /* now_ms time a request body must have come by; 0: none */
    uint64_t body_sent;               /* body bytes the kernel took: the access log's bytes (lesson 10) */
    int64_t date;                     /* the seconds the Date field shows (lesson 11) */
    int64_t last_modified;            /* the seconds Last-Modified shows, after step_last_modified (lesson 11) */
    char extra[EXTRA_MAX];            /* field lines for the response head */
    char path[PATH_BUF_MAX];
    char buf[REQ_HEAD_MAX];           /* the request as read */
    struct request req;
};

#ifdef __cplusplus
static_assert(offsetof(struct exchange, sock) == X_SOCK, "records.inc X_SOCK");
static_assert(offsetof(struct exchange, cfg) == X_CFG, "records.inc X_CFG");
static_assert(offsetof(struct exchange, status) == X_STATUS, "records.inc X_STATUS");
static_assert(offsetof(struct exchange, head_len) == X_HEAD_LEN, "records.inc X_HEAD_LEN");
static_assert(offsetof(struct exchange, read_len) == X_READ_LEN, "records.inc X_READ_LEN");
static_assert(offsetof(struct exchange, linger) == X_LINGER, "records.inc X_LINGER");
static_assert(offsetof(struct exchange, path_len) == X_PATH_LEN, "records.inc X_PATH_LEN");
static_assert(offsetof(struct exchange, file_fd) == X_FILE_FD, "records.inc X_FILE_FD");
static_assert(offsetof(struct exchange, file_mode) == X_FILE_MODE, "records.inc X_FILE_MODE");
static_assert(offsetof(struct exchange, file_size) == X_FILE_SIZE, "records.inc X_FILE_SIZE");
static_assert(offsetof(struct exchange, type) == X_TYPE, "records.inc X_TYPE");
static_assert(offsetof(struct exchange, body_first) == X_BODY_FIRST, "records.inc X_BODY_FIRST");
static_assert(offsetof(struct exchange, body_len) == X_BODY_LEN, "records.inc X_BODY_LEN");
static_assert(offsetof(struct exchange, extra_len) == X_EXTRA_LEN, "records.inc X_EXTRA_LEN");
static_assert(offsetof(struct exchange, body_deadline) == X_BODY_DEADLINE, "records.inc X_BODY_DEADLINE");
static_assert(offsetof(struct exchange, body_sent) == X_BODY_SENT, "records.inc X_BODY_SENT");
static_assert(offsetof(struct exchange, date) == X_DATE, "records.inc X_DATE");
static_assert(offsetof(struct exchange, last_modified) == X_LAST_MODIFIED, "records.inc X_LAST_MODIFIED");
static_assert(offsetof(struct exchange, extra) == X_EXTRA, "records.inc X_EXTRA");
static_assert(offsetof(struct exchange, path) == X_PATH, "records.inc X_PATH");
static_assert(offsetof(struct exchange, buf) == X_BUF, "records.inc X_BUF");
static_assert(offsetof(struct exchange, req) == X_REQ, "records.inc X_REQ");
static_assert(sizeof(struct exchange) == X_SIZE, "records.inc X_SIZE");
#endif

#ifdef __cplusplus
}
#endif

#endif
