# Time from exec to exit of `wasec demo` with WASEC_TUI_FIRST_FRAME_ONLY=1
# (startup, bank + demo load, terminal setup, one 120x40 frame, restore).
import os, pty, sys, time, statistics, fcntl, termios, struct
B = sys.argv[1]; N = int(sys.argv[2]) if len(sys.argv) > 2 else 20
def once():
    t = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
        os.environ['WASEC_TUI_FIRST_FRAME_ONLY'] = '1'
        os.environ['WASEC_LANG'] = 'en'
        os.execv(B, [B, 'demo'])
    out = b''
    while True:
        try:
            d = os.read(fd, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
    _, st = os.waitpid(pid, 0)
    assert st == 0 and b'Questions' in out, (st, out[-300:])
    return (time.perf_counter() - t) * 1000
xs = [once() for _ in range(N)]
print(f"{B}: n={N} median {statistics.median(xs):.1f} ms, min {min(xs):.1f} ms, max {max(xs):.1f} ms")
