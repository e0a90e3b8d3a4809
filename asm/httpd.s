// asm/httpd.s -- the spine: main, the accept loop, and the per-connection
// pipeline.  Everything else is a stage (asm/NN-*.s) this file calls.
//
// C++ twin: cpp/httpd.cpp.  Built for every lesson from 01 on, with
// LESSON=N: each step a lesson adds sits in an `.if LESSON >= N` block,
// so lesson N's binary contains exactly stages 0..N and the difference
// between two lessons is the lines inside one block.
//
//   main             parse_args -> open_listener -> listening line -> serve_forever
//   serve_forever    accept_client; lesson 01: handle it here, close;
//                    lesson 02+: fork_connection (the child handles it)
//   handle_connection   lesson 01-02: one read, the fixed hello
//                       lesson 03+:  read_request_head, parse_request,
//                                    send_error / send_echo (03) / serve_file (04)

        .include "os.inc"
        .include "records.inc"

        PROGRAM_ENTRY httpd_main          // _start / _main -> httpd_main(argc, argv)

        .equ CHAR_SP, 32

// ---------------------------------------------------------------------------
// void handle_connection(int conn, const struct config *cfg)
//   One connection, one response (or none if the client sent nothing).
//   The caller closes conn (lesson 01) or exits (lesson 02's child).
//   in:  w0 = conn, x1 = cfg
//   registers: x19 = conn, x20 = docroot, x21 = the request record,
//              x22 = the read buffer, x23 = head length / status
//   stack: 64 bytes (fp, lr, x19..x23) + lesson 01-02: HELLO_READ_MAX
//          buffer; lesson 03+: REQ_HEAD_MAX buffer + REQ_AREA record
//   syscalls: read, write (through the stages)
// ---------------------------------------------------------------------------
        .equ REQ_AREA, (REQ_SIZE + 15) & ~15   // struct request, 16-aligned (lesson 03+)
FUNC handle_connection
        stp     x29, x30, [sp, #-64]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        stp     x21, x22, [sp, #32]
        str     x23, [sp, #48]
        sxtw    x19, w0                   // x19 = conn
        ldr     x20, [x1, #CFG_DOCROOT]   // x20 = docroot

.if LESSON < 3
// lesson 01-02: read once (whatever the client sent), answer hello.
// read returning 0: the client sent nothing and closed -> no response.
        sub     sp, sp, #HELLO_READ_MAX   // char buf[HELLO_READ_MAX]
        mov     x0, x19
        mov     x1, sp
        mov     x2, #HELLO_READ_MAX
        SYSCALL read
        add     sp, sp, #HELLO_READ_MAX   // (the bytes are not looked at)
        b.cs    handle_connection_done    // read failed: nobody to answer
        cbz     x0, handle_connection_done // 0 bytes: the client left
        mov     w0, w19
        CALL    send_hello                // 200 "hello from metal-httpd"
.else
// lesson 03+: the request head into a buffer, parsed into a record
        sub     sp, sp, #REQ_HEAD_MAX     // char buf[REQ_HEAD_MAX] ...
        sub     sp, sp, #REQ_AREA         // ... struct request req below it
        mov     x21, sp                   // x21 = &req
        add     x22, sp, #REQ_AREA        // x22 = buf
        str     xzr, [x22]                // blank 8 bytes: "HEAD " test below
        mov     x0, x19
        mov     x1, x22
        mov     x2, #REQ_HEAD_MAX
        CALL    read_request_head         // length, 0, or -400/-414/-431
        mov     x23, x0
        cbz     x23, handle_connection_free // nothing sent: no response
        tbz     x23, #63, handle_connection_parse
        // reading failed: answer -x23, without a body if the bytes we
        // have begin with "HEAD " (RFC 9110 §9.3.2)
        neg     x23, x23
        ldr     w0, [x22]                 // "HEAD" as one 32-bit load
        movz    w1, #(('E' << 8) | 'H')
        movk    w1, #(('D' << 8) | 'A'), lsl #16
        cmp     w0, w1
        ldrb    w0, [x22, #4]
        mov     w1, #CHAR_SP
        ccmp    w0, w1, #0, eq            // "HEAD" matched: and then a space?
        cset    w2, eq                    // is_head (no match: flags say ne)
        b       handle_connection_error
handle_connection_parse:
        mov     x0, x22                   // parse_request(buf, len, &req)
        mov     x1, x23
        mov     x2, x21
        CALL    parse_request
        mov     x23, x0                   // 0, or the status to answer
        ldr     x2, [x21, #REQ_IS_HEAD]   // known even when parsing failed
        cbnz    x23, handle_connection_error
  .if LESSON >= 4
// lesson 04+: the file at docroot + path
        mov     w0, w19                   // serve_file(conn,
        mov     x1, x20                   //            docroot,
        ldp     x2, x3, [x21, #REQ_PATH_PTR] //         path, path_len,
        ldr     x4, [x21, #REQ_IS_HEAD]   //            is_head)
        CALL    serve_file
        tbz     x0, #63, handle_connection_free // 0: answered
        neg     x23, x0                   // -status -> status
        ldr     x2, [x21, #REQ_IS_HEAD]
        b       handle_connection_error   // 403 / 404 / 414 / 500
  .else
// lesson 03: echo what the parser understood
        mov     w0, w19
        mov     x1, x21
        CALL    send_echo
        b       handle_connection_free
  .endif
handle_connection_error:
        mov     w0, w19                   // send_error(conn, status, is_head)
        mov     w1, w23
        CALL    send_error
handle_connection_free:
        add     sp, sp, #REQ_AREA         // drop the record ...
        add     sp, sp, #REQ_HEAD_MAX     // ... and the buffer
.endif
handle_connection_done:
        ldr     x23, [sp, #48]            // restore and return
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #64
        ret
ENDFUNC handle_connection

// ---------------------------------------------------------------------------
// void serve_forever(int listener, const struct config *cfg)
//   accept, answer, repeat.  Never returns.
//   in:  w0 = listener, x1 = cfg
//   registers: x19 = listener, x20 = cfg, x21 = conn
//   stack: 48 bytes (fp, lr, x19..x21, padding)
//   syscalls: accept, close, sigaction, fork (through the stages)
// ---------------------------------------------------------------------------
FUNC serve_forever
        stp     x29, x30, [sp, #-48]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        str     x21, [sp, #32]
        sxtw    x19, w0                   // x19 = listener
        mov     x20, x1                   // x20 = cfg
.if LESSON >= 2
// lesson 02: children that exit are reaped by the kernel -- no zombies
        mov     w0, #SIGCHLD
        CALL    ignore_signal
.endif
serve_forever_accept:
        mov     w0, w19
        CALL    accept_client             // wait for the next client
        tbnz    x0, #63, serve_forever_accept // ECONNABORTED, EMFILE ...: try again
        mov     x21, x0                   // x21 = conn
.if LESSON >= 2
// lesson 02: a child process answers; we go straight back to accept
        mov     w0, w19                   // fork_connection(listener, conn,
        mov     w1, w21
        LOAD_ADDR x2, handle_connection   //     handle_connection,
        mov     x3, x20                   //     cfg)
        CALL    fork_connection           // the parent closes conn in there
.else
// lesson 01: answer it ourselves -- the next client waits meanwhile
        mov     w0, w21
        mov     x1, x20
        CALL    handle_connection
        mov     x0, x21
        SYSCALL close                     // the client sees the end of the response
.endif
        b       serve_forever_accept
ENDFUNC serve_forever

// ---------------------------------------------------------------------------
// int httpd_main(int argc, char **argv)
//   in:  w0 = argc, x1 = argv
//   out: w0 = exit status: 2 bad arguments, 1 cannot listen (never 0:
//        the server runs until it is killed)
//   registers: x19 = listener fd / error, x20 = port asked for
//   stack: 32 bytes (fp, lr, x19, x20) + CFG area (struct config at sp)
//   syscalls: write, sigaction, socket, setsockopt, bind, listen,
//             getsockname (through the stages)
// ---------------------------------------------------------------------------
        .equ CFG_AREA, (CFG_SIZE + 15) & ~15
FUNC httpd_main
        stp     x29, x30, [sp, #-32]!     // frame: fp, lr
        mov     x29, sp
        stp     x19, x20, [sp, #16]       // callee-saved registers we use
        sub     sp, sp, #CFG_AREA         // struct config cfg
        mov     x2, sp
        CALL    parse_args                // argc, argv already in w0, x1
        tbnz    w0, #31, httpd_main_usage // the message is out: status 2
        // a client that leaves early must not kill us with SIGPIPE:
        // writes to it then fail with EPIPE instead
        mov     w0, #SIGPIPE
        CALL    ignore_signal
        ldr     x20, [sp, #CFG_PORT]      // x20 = the port asked for
        mov     w0, w20
        CALL    open_listener
        tbnz    x0, #63, httpd_main_no_listen
        mov     x19, x0                   // x19 = listener
        CALL    listening_port            // the real port (port 0: the kernel chose)
        CALL    say_listening             // listening on http://127.0.0.1:PORT/
        mov     w0, w19
        mov     x1, sp
        CALL    serve_forever             // never returns
httpd_main_no_listen:
        mov     x1, x0                    // say_listen_error(port, -errno)
        mov     w0, w20
        CALL    say_listen_error
        mov     w0, #1                    // status 1: cannot serve
        b       httpd_main_return
httpd_main_usage:
        mov     w0, #2                    // status 2: wrong usage
httpd_main_return:
        add     sp, sp, #CFG_AREA
        ldp     x19, x20, [sp, #16]       // restore and return
        ldp     x29, x30, [sp], #32
        ret
ENDFUNC httpd_main
