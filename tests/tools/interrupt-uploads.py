#!/usr/bin/env python3
# tests/tools/interrupt-uploads.py N SIZE SERVER... -- lesson 09's atomic
# uploads under interruption: start SERVER -w 0 DOCROOT on a fresh docroot
# holding up/t.bin, then send N PUTs of SIZE bytes to /up/t.bin, each cut
# off at a random point of its head or body (seeded: the same points every
# run) and half-closed.  After each one the answer must be 400, up/t.bin
# must still hold its old bytes and up/ nothing else (no temporary file).
# Prints one line per failure and a summary; exit status 1 if any failed.
#
#   python3 tests/tools/interrupt-uploads.py 1000 4096 build/lesson-09/httpd-cpp
#   python3 tests/tools/interrupt-uploads.py 3 1073741824 qemu-aarch64 build/lesson-09/httpd-asm
import os, random, shutil, socket, subprocess, sys, tempfile, time

def main():
    if len(sys.argv) < 4:
        sys.exit("usage: interrupt-uploads.py N SIZE SERVER...")
    n, size, server = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    rnd = random.Random(1000)
    top = tempfile.mkdtemp()
    site = os.path.join(top, "site")
    os.makedirs(os.path.join(site, "up"))
    old = b"old content\n"
    with open(os.path.join(site, "up", "t.bin"), "wb") as f:
        f.write(old)
    srv = subprocess.Popen(server + ["-w", "0", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = srv.stdout.readline().decode()          # listening on http://127.0.0.1:PORT/
        port = int(line.rsplit(":", 1)[1].strip("/\n"))
        head = b"PUT /up/t.bin HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size
        piece = bytes(range(256)) * 256                # 64 KiB of body at a time
        bad = 0
        start = time.time()
        for _ in range(n):
            cut = rnd.randrange(1, len(head) + size)   # never 0 bytes, never all of them
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(head[:cut])
            sent = min(cut, len(head))
            while sent < cut:
                k = min(len(piece), cut - sent)
                s.sendall(piece[:k])
                sent += k
            s.shutdown(socket.SHUT_WR)
            s.settimeout(30)
            answer = b""
            try:
                while chunk := s.recv(65536):
                    answer += chunk
            except OSError as e:
                answer += b"<" + str(e).encode() + b">"
            s.close()
            names = sorted(os.listdir(os.path.join(site, "up")))
            with open(os.path.join(site, "up", "t.bin"), "rb") as f:
                content = f.read()
            if not (answer.startswith(b"HTTP/1.1 400 ") and names == ["t.bin"] and content == old):
                bad += 1
                print(f"cut at {cut} of {len(head) + size}: {answer[:40]!r} {names} {len(content)} bytes")
        print(f"{n} interrupted PUTs of {size} bytes: {n - bad} kept the old file and left nothing, "
              f"{bad} did not ({time.time() - start:.1f} s)")
        return 1 if bad else 0
    finally:
        srv.kill()
        srv.wait()
        shutil.rmtree(top)

sys.exit(main())
