// asm/httpd.s -- the spine: main, the accept loop, and the per-connection
// pipeline.  Everything else is a stage (asm/NN-*.s) this file calls.
//
// C++ twin: cpp/httpd.cpp, line for line.  Built for every lesson from 01
// on with LESSON=N.  What a lesson adds here is a STEP line (or a step
// swapped for its successor) inside one `.if LESSON ...` block, so lesson
// N's binary contains exactly stages 0..N.  `make view-NN` prints this
// file with every such block resolved for lesson NN.
//
//   httpd_main         parse_args -> (06: open_docroot) -> open_listener ->
//                      listening line -> serve_forever
//   serve_forever      accept_client; lesson 01: handle it here, close;
//                      lesson 02+: fork_connection (the child handles it)
//   handle_connection  one struct exchange on the stack, the lesson's
//                      steps over it in order, then the error answer (if
//                      a step stopped with a status), the lingering close
//                      (lesson 03: if request bytes may be unread) and
//                      closing the file

        .include "os.inc"
        .include "records.inc"
.if LESSON >= 9
        .include "methods.inc"            // 09: METHOD_PUT ... for step_by_method
.endif

        PROGRAM_ENTRY httpd_main          // _start / _main -> httpd_main(argc, argv)

// excerpt: step-macro
// STEP name -- one step of the pipeline: name(&x).  Its result is STEP_NEXT
// (0: go on with the next line), STEP_DONE, or an HTTP status: anything
// but 0 stops the pipeline at handle_connection_stop with the result in w0.
        .macro STEP name
        mov     x0, x19                   // the exchange
        CALL    \name                     // w0 = STEP_NEXT, STEP_DONE or a status
        cbnz    w0, handle_connection_stop // not "go on": stop here
        .endm
// excerpt end

// ---------------------------------------------------------------------------
// void handle_connection(int conn, const struct config *cfg)
//   One connection, one response (or none if the client sent nothing).
//   The caller closes conn (lesson 01) or exits (lesson 02's child).
//   in:  w0 = conn, x1 = cfg
//   registers: x19 = &x, the exchange (it is sp while the steps run)
//   stack: 32 bytes (fp, lr, x19, padding) + X_SIZE for struct exchange
//   syscalls: those of the steps; shutdown, read (linger_close, only when
//             request bytes may be unread); close (the file, if one is open)
// ---------------------------------------------------------------------------
FUNC handle_connection
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19 (sp+24: padding)
        sub     sp, sp, #(X_SIZE & 0xfff000) // struct exchange x: X_SIZE bytes, in two
        sub     sp, sp, #(X_SIZE & 0xfff) //   parts (an immediate has 12 bits, maybe shifted)
        mov     x19, sp                   // x19 = &x
        mov     w2, w0                    // start_exchange(&x,
        mov     x3, x1                    //     conn, cfg): the arguments move up one
        mov     x0, x19                   //     register to make room for &x
        mov     w1, w2                    // w1 = conn
        mov     x2, x3                    // x2 = cfg
        CALL    start_exchange            // status 200, no file, nothing read

// excerpt: steps
// The pipeline: every step a connection goes through, in order.
.if LESSON >= 11
        STEP    step_stamp_date           // 11: x.date = the clock; a Date field on every answer from here on
.endif
.if LESSON <= 2
        STEP    step_read_once            // 01: one read, whatever the client sent
        STEP    step_hello                // 01: the fixed 200 response
.endif
.if LESSON >= 10
        STEP    step_arm_deadlines        // 10: a read or write that moves no byte for -t seconds fails
        STEP    step_await_head           // 10: the whole head within -t seconds: else 408 (nothing at all: close)
.endif
.if LESSON >= 3
        STEP    step_read_head            // 03: the request head into x.buf
        STEP    step_parse_head           // 03: request line and fields into x.req
        STEP    step_check_framing        // 03: Content-Length / Transfer-Encoding: 400 / 501
.endif
.if LESSON >= 10
        STEP    step_arm_body_deadline    // 10: a body within -t s + its length at UPLOAD_MIN_RATE (receive_body: else 408)
.endif
.if LESSON >= 3 && LESSON <= 8
        STEP    step_check_method         // 03: GET and HEAD go on; 405 / 501
.endif
.if LESSON >= 9
        STEP    step_allow_method         // 09: GET, HEAD, OPTIONS (PUT, DELETE with -w) go on; 405 / 501
        STEP    step_by_method            // 09: OPTIONS, PUT, DELETE: their own list, to its end; GET, HEAD: on
.endif
.if LESSON == 3
        STEP    step_echo                 // 03: echo what the parser understood
.endif
.if LESSON == 4
        STEP    step_copy_path            // 04: x.path = the request's path
.endif
.if LESSON >= 5
        STEP    step_decode_path          // 05: x.path = the request's path, percent-decoded once
.endif
.if LESSON >= 6
        STEP    step_normalize_path       // 06: resolve "." and ".."; 403 above the docroot
.endif
.if LESSON >= 4 && LESSON <= 7
        STEP    step_add_index            // 04: ".../" -> ".../index.html"
.endif
.if LESSON >= 4 && LESSON <= 5
        STEP    step_open_file            // 04: openat(docroot + path)
.endif
.if LESSON >= 6
        STEP    step_open_beneath         // 06: openat from the docroot's descriptor, name by name, no symlinks
.endif
.if LESSON >= 4
        STEP    step_stat_file            // 04: fstat: mode and size
.endif
.if LESSON >= 8
        STEP    step_directory            // 08: a directory: 301 to ".../", its index.html, or a listing
.endif
.if LESSON >= 4
        STEP    step_check_file           // 04: only regular files: else 403
        STEP    step_choose_type          // 04: Content-Type from the extension
.endif
.if LESSON >= 11
        STEP    step_last_modified        // 11: x.last_modified = the mtime (never after Date); a Last-Modified field
        STEP    step_check_conditions     // 11: GET, HEAD: If-None-Match: *, If-Modified-Since: 304
.endif
.if LESSON >= 7 && LESSON <= 10
        STEP    step_parse_range          // 07: Range: 206 with part of the body, or 416
.endif
.if LESSON >= 11
        STEP    step_parse_range_11       // 11: ... and an If-Range that holds lets the Range through
.endif
.if LESSON >= 4
        STEP    step_send_head            // 04: status line and fields
        STEP    step_send_body            // 04: the file, by sendfile
.endif
        // the list ran out without an answer: a bug in the list
        mov     w0, #500                  // Internal Server Error
// excerpt end

// excerpt: answer-then-linger
handle_connection_stop:
.if LESSON >= 3
        cmp     w0, #STEP_DONE            // answered (or nothing to answer)?
        b.eq    handle_connection_linger  // yes: no error to send
        mov     w1, w0                    // answer_error(&x, status)
        mov     x0, x19                   // a step stopped with a status
.endif
.if LESSON >= 3 && LESSON <= 8
        CALL    answer_error              // x.status, x.extra, HEAD or not
.endif
.if LESSON >= 9
        CALL    answer_error_page         // 09: ... with an HTML page
.endif
.if LESSON >= 3
handle_connection_linger:
.endif
.if LESSON >= 10
        mov     x0, x19                   // 10: log_exchange(&x): the access log's line,
        CALL    log_exchange              //     before linger_close reuses x.buf
        mov     x0, x19                   // 10: bound_linger(&x): the drain
        CALL    bound_linger              // below ends -t seconds from now
.endif
.if LESSON >= 3
        mov     x0, x19                   // linger_close(&x): unread request
        CALL    linger_close              // bytes: half-close, drain
.endif
// excerpt end
// -- handle_connection_close: close the file, if a step opened one: no
// destructor does it for us
        ldr     x0, [x19, #X_FILE_FD]     // x.file_fd: -1 when none
        tbnz    x0, #63, handle_connection_return // negative: nothing to close
        SYSCALL close                     // a failed close: nothing to do
handle_connection_return:
        add     sp, sp, #(X_SIZE & 0xfff) // drop the exchange ...
        add     sp, sp, #(X_SIZE & 0xfff000) // ... both parts
        ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // void: nothing to return
ENDFUNC handle_connection

.if LESSON >= 9
// excerpt: method-lists
// Lesson 09: the lists of the methods that do not GET.  step_by_method
// (in the main list) runs one of them to its end; GET and HEAD go on with
// the main list.  Each list is flat, like the main one: a function whose
// LIST_STEP lines stop at its end (label 9) with the first result that is
// not STEP_NEXT.
        .macro LIST_STEP name
        mov     x0, x19                   // the exchange
        CALL    \name                     // w0 = STEP_NEXT, STEP_DONE or a status
        cbnz    w0, 9f                    // not "go on": the list's result
        .endm
        .macro LIST_BEGIN                 // int list(struct exchange *x)
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        str     x19, [sp, #16]            // callee-saved: x19
        mov     x19, x0                   // x19 = x
        .endm
        .macro LIST_END
        mov     w0, #500                  // ran out without an answer: a bug in the list
9:      ldr     x19, [sp, #16]            // restore and return
        ldp     x29, x30, [sp], #32
        ret                               // w0 = STEP_DONE or a status
        .endm
FUNC options_asterisk_list
        LIST_BEGIN
        LIST_STEP step_answer_options     // 09: 204 with Allow: what the server can do
        LIST_END
ENDFUNC options_asterisk_list
FUNC options_list
        LIST_BEGIN
        LIST_STEP step_decode_path        // 05: x.path = the request's path, percent-decoded once
        LIST_STEP step_normalize_path     // 06: resolve "." and ".."; 403 above the docroot
        LIST_STEP step_open_beneath       // 06: it exists (404 if not), no symlinks on the way
        LIST_STEP step_answer_options     // 09: 204 with Allow
        LIST_END
ENDFUNC options_list
FUNC put_list
        LIST_BEGIN
        LIST_STEP step_decode_path        // 05: x.path = the request's path, percent-decoded once
        LIST_STEP step_normalize_path     // 06: resolve "." and ".."; 403 above the docroot
        LIST_STEP step_check_upload       // 09: Content-Length needed (411), at most 1 GiB (413)
        LIST_STEP step_open_parent        // 09: the target's directory; the target: none, a file, else 409 / 403
.endif
.if LESSON >= 11
        LIST_STEP step_check_unmodified   // 11: If-Unmodified-Since older than the target's mtime: 412
.endif
.if LESSON >= 9
        LIST_STEP step_store_upload       // 09: body -> temporary file, fsync, rename over the target
        LIST_STEP step_answer_upload      // 09: 201 Created (new) or 204 (replaced)
        LIST_END
ENDFUNC put_list
FUNC delete_list
        LIST_BEGIN
        LIST_STEP step_decode_path        // 05: x.path = the request's path, percent-decoded once
        LIST_STEP step_normalize_path     // 06: resolve "." and ".."; 403 above the docroot
        LIST_STEP step_open_parent        // 09: the target's directory; the target: none, a file, else 409 / 403
.endif
.if LESSON >= 11
        LIST_STEP step_check_unmodified   // 11: If-Unmodified-Since older than the target's mtime: 412
.endif
.if LESSON >= 9
        LIST_STEP step_delete_file        // 09: unlinkat: 204, or 404 when there is nothing
        LIST_END
ENDFUNC delete_list
// excerpt end

// excerpt: by-method
// ---------------------------------------------------------------------------
// int step_by_method(struct exchange *x)
//   OPTIONS, PUT and DELETE: run that method's list to its end (its
//   answer, or its status); GET and HEAD: go on (STEP_NEXT).
//   in:  x0 = x.  out: w0 = STEP_NEXT, STEP_DONE or a status
//   registers: x9 = the method, x10 = the path.  Tail calls: the list
//   returns straight to the spine.
// ---------------------------------------------------------------------------
FUNC step_by_method
        ldr     x9, [x0, #(X_REQ + REQ_METHOD_ID)] // x.req.method_id
        cmp     x9, #METHOD_PUT           // PUT?
        b.eq    step_by_method_put
        cmp     x9, #METHOD_DELETE        // DELETE?
        b.eq    step_by_method_delete
        cmp     x9, #METHOD_OPTIONS       // OPTIONS?
        b.eq    step_by_method_options
        mov     w0, #STEP_NEXT            // GET, HEAD: the main list goes on
        ret
step_by_method_put:
        JUMP    put_list                  // x0 = x still
step_by_method_delete:
        JUMP    delete_list
step_by_method_options:
        ldr     x10, [x0, #(X_REQ + REQ_PATH_LEN)] // the path "*" (one byte, a star)?
        cmp     x10, #1
        b.ne    step_by_method_options_path
        ldr     x10, [x0, #(X_REQ + REQ_PATH_PTR)]
        ldrb    w10, [x10]
        cmp     w10, #'*'
        b.ne    step_by_method_options_path
        JUMP    options_asterisk_list     // the server itself
step_by_method_options_path:
        JUMP    options_list              // a resource
ENDFUNC step_by_method
// excerpt end
.endif

// ---------------------------------------------------------------------------
// void serve_forever(int listener, const struct config *cfg)
//   accept, answer, repeat.  Never returns.
//   in:  w0 = listener, x1 = cfg
//   registers: x19 = listener, x20 = cfg, x21 = conn (lesson 10: also
//              wait_clients' answer), x22 = children running, x23 = the
//              table of refused clients (lesson 10)
//   stack: 64 bytes (fp, lr, x19..x23, padding); lesson 10: below them
//          the table of refused clients (REFUSE_SLOTS of RS_SIZE), and
//          below it the table of the children's pids, cfg->child_limit
//          slots of CHILD_SLOT_BYTES (at sp from then on)
//   syscalls: accept, close, sigaction, fork (through the stages);
//             lesson 10: wait4, poll / ppoll, sigpending, and
//             refuse_client's, tend_refusals' and shut_down's
// ---------------------------------------------------------------------------
FUNC serve_forever
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]       // callee-saved: x21, x22 (lesson 10)
        str     x23, [sp, #48]            // callee-saved: x23 (lesson 10; sp+56: padding)
        sxtw    x19, w0                   // x19 = listener
        mov     x20, x1                   // x20 = cfg
.if LESSON >= 2 && LESSON <= 9
// lesson 02: children that exit are reaped by the kernel -- no zombies
        mov     w0, #SIGCHLD              // ignore_signal(SIGCHLD)
        CALL    ignore_signal             // (a failure only means zombies)
.endif
.if LESSON >= 10
        mov     x22, #0                   // 10: children running; we reap them ourselves
        sub     sp, sp, #(REFUSE_SLOTS * RS_SIZE) // 10: the refused clients, until their 503 is safe
        mov     x23, sp                   //     x23 = the table (a multiple of 16)
        mov     x0, x23                   //     init_refusals(r): every slot free
        CALL    init_refusals
        ldr     x9, [x20, #CFG_CHILD_LIMIT] // 10: the table of their pids: -c slots
        mov     x10, #CHILD_SLOT_BYTES
        mul     x9, x9, x10               //     of CHILD_SLOT_BYTES each,
        add     x9, x9, #15               //     rounded up to keep sp 16-aligned,
        and     x9, x9, #~15
        sub     sp, sp, x9                //     on our stack (no writable globals)
        mov     x0, sp                    // 10: init_children(pids, slots):
        ldr     x1, [x20, #CFG_CHILD_LIMIT] //     every slot free
        CALL    init_children
.endif
serve_forever_accept:
.if LESSON >= 10
        mov     x0, x22                   // 10: reap_children(children, pids, slots):
        mov     x1, sp                    //     wait4(WNOHANG): who has ended
        ldr     x2, [x20, #CFG_CHILD_LIMIT]
        CALL    reap_children
        mov     x22, x0
        mov     w0, w19                   // 10: wait_clients(listener, r): poll the
        mov     x1, x23                   //     listener and the refused, <= 200 ms
        CALL    wait_clients              // x0 = the listener's revents, 0 or -errno
        mov     x21, x0                   // (kept: x21 is free until accept)
        CALL    stop_requested            // 10: SIGTERM or SIGINT pending?
        cbnz    w0, serve_forever_stop    // then stop
        mov     x0, x23                   // 10: tend_refusals(r, cfg): a refused
        mov     x1, x20                   //     client's 503, or its close
        CALL    tend_refusals
        cmp     x21, #0                   // nobody to accept (or a signal):
        b.le    serve_forever_accept      // reap again
.endif
        mov     w0, w19                   // accept_client(listener)
        CALL    accept_client             // wait for the next client
.if LESSON <= 9
        tbnz    x0, #63, serve_forever_accept // ECONNABORTED, EMFILE ...: try again
.endif
.if LESSON >= 10
        tbz     x0, #63, serve_forever_conn // 10: a client
        CALL    accept_backoff            // 10: EMFILE, ENFILE: pause instead of spinning
        b       serve_forever_accept      // then try again
serve_forever_conn:
.endif
        mov     x21, x0                   // x21 = conn
.if LESSON >= 10
        mov     x0, x22                   // 10: reap_children(children, pids, slots):
        mov     x1, sp                    //     who ended while we waited
        ldr     x2, [x20, #CFG_CHILD_LIMIT]
        CALL    reap_children
        mov     x22, x0
        ldr     x9, [x20, #CFG_CHILD_LIMIT] // 10: at the limit?
        cmp     x22, x9
        b.lo    serve_forever_fork        // no: a child answers
        mov     w0, w21                   // refuse_client(conn, cfg, r):
        mov     x1, x20                   // 503 from us
        mov     x2, x23
        CALL    refuse_client
        b       serve_forever_accept      // the next client
serve_forever_fork:
        mov     w0, w19                   // 10: fork_counted(listener,
        mov     w1, w21                   //     conn,
        LOAD_ADDR x2, handle_connection   //     handle_connection,
        mov     x3, x20                   //     cfg,
        mov     x4, x23                   //     r)
        CALL    fork_counted              // x0 = pid, or -errno (refused)
        cmp     x0, #0                    // no child?
        b.le    serve_forever_accept      // then the next client
        add     x22, x22, #1              // one more running
        mov     w2, w0                    // track_child(pids, slots, pid):
        mov     x0, sp                    //     its pid into a free slot
        ldr     x1, [x20, #CFG_CHILD_LIMIT]
        CALL    track_child
.endif
.if LESSON >= 2 && LESSON <= 9
// lesson 02: a child process answers; we go straight back to accept
        mov     w0, w19                   // fork_connection(listener,
        mov     w1, w21                   //     conn,
        LOAD_ADDR x2, handle_connection   //     handle_connection,
        mov     x3, x20                   //     cfg)
        CALL    fork_connection           // the parent closes conn in there
.endif
.if LESSON == 1
// lesson 01: answer it ourselves -- the next client waits meanwhile
        mov     w0, w21                   // handle_connection(conn,
        mov     x1, x20                   // cfg)
        CALL    handle_connection         // reads, answers (or not)
        mov     x0, x21                   // close(conn)
        SYSCALL close                     // the client sees the end of the response
.endif
        b       serve_forever_accept      // the next client
.if LESSON >= 10
serve_forever_stop:
        mov     w0, w19                   // 10: shut_down(listener, children,
        mov     x1, x22                   //     pids, slots): close, let the
        mov     x2, sp                    //     children finish (a grace period),
        ldr     x3, [x20, #CFG_CHILD_LIMIT] //   exit 0
        CALL    shut_down                 // never returns
.endif
ENDFUNC serve_forever

// ---------------------------------------------------------------------------
// int httpd_main(int argc, char **argv)
//   in:  w0 = argc, x1 = argv
//   out: w0 = exit status: 2 bad arguments, 1 cannot listen (lesson 06:
//        or cannot open the docroot) -- never 0: the server runs until
//        it is killed (lesson 10: until SIGTERM or SIGINT; shut_down
//        exits with 0)
//   registers: x19 = listener fd, x20 = port asked for
//   stack: 32 bytes (fp, lr, x19, x20) + CFG area (struct config at sp)
//   syscalls: write, sigaction, socket, setsockopt, bind, listen,
//             getsockname, openat (lesson 06), sigprocmask (lesson 10)
//             (through the stages)
// ---------------------------------------------------------------------------
        .equ CFG_AREA, (CFG_SIZE + 15) & ~15
FUNC httpd_main
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp                   // fp = this frame
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #CFG_AREA         // struct config cfg
.if LESSON <= 8
        mov     x2, sp                    // parse_args(argc, argv, &cfg)
        CALL    parse_args                // argc, argv already in w0, x1
.endif
.if LESSON >= 10
        mov     x2, sp                    // 10: parse_command_line_10(argc, argv, &cfg):
        CALL    parse_command_line_10     // lesson 09's parser, -t and -c too
.endif
.if LESSON == 9
        mov     x2, sp                    // 09: parse_command_line(argc, argv, &cfg,
        LOAD_ADDR x3, flags_09            //     lesson 09's flags): flags first
        CALL    parse_command_line        // argc, argv already in w0, x1
.endif
        tbnz    w0, #31, httpd_main_usage // the message is out: status 2
.if LESSON >= 6
        mov     x0, sp                    // 06: open_docroot(&cfg): the docroot's descriptor
        CALL    open_docroot              // x0 = 0, or -errno (the message is out)
        tbnz    x0, #63, httpd_main_no_docroot // cannot serve from it: status 1
.endif
.if LESSON >= 9
        mov     x0, sp                    // 09: open_error_pages(&cfg): -e DIR's descriptor
        CALL    open_error_pages          // x0 = 0, or -errno (the message is out)
        tbnz    x0, #63, httpd_main_no_docroot // cannot serve its pages: status 1
.endif
        // a client that leaves early must not kill us with SIGPIPE:
        // writes to it then fail with EPIPE instead
        mov     w0, #SIGPIPE              // ignore_signal(SIGPIPE)
        CALL    ignore_signal             // (a failure: we only risk dying on EPIPE)
.if LESSON >= 10
        CALL    block_stop_signals        // 10: SIGTERM, SIGINT wait until serve_forever asks
.endif
        ldr     x20, [sp, #CFG_PORT]      // x20 = the port asked for
        mov     w0, w20                   // open_listener(port)
        CALL    open_listener             // x0 = listening fd, or -errno
        tbnz    x0, #63, httpd_main_no_listen // negative: say why, status 1
        mov     x19, x0                   // x19 = listener
        // x0 still holds the listener: listening_port(listener)
        CALL    listening_port            // w0 = the real port (port 0: the kernel chose), or -errno
        tbnz    w0, #31, httpd_main_no_port // negative: getsockname failed
        CALL    say_listening             // listening on http://127.0.0.1:PORT/
        mov     w0, w19                   // serve_forever(listener,
        mov     x1, sp                    // &cfg)
        CALL    serve_forever             // never returns
httpd_main_no_port:
        sxtw    x0, w0                    // -errno as an int64_t, for say_listen_error
httpd_main_no_listen:
        mov     x1, x0                    // say_listen_error(port, -errno)
        mov     w0, w20                   // the port asked for (not the real one)
        CALL    say_listen_error          // httpd: cannot listen on ...
        mov     w0, #1                    // status 1: cannot serve
        b       httpd_main_return         // skip the usage status
.if LESSON >= 6
httpd_main_no_docroot:
        mov     w0, #1                    // 06: status 1, the docroot cannot be served
        b       httpd_main_return         // skip the usage status
.endif
httpd_main_usage:
        mov     w0, #2                    // status 2: wrong usage
httpd_main_return:
        add     sp, sp, #CFG_AREA         // drop cfg
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32       // fp, lr, and drop the frame
        ret                               // w0 = the exit status
ENDFUNC httpd_main
