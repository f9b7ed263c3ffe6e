#!/usr/bin/env python3
"""Drives a board's serial console from a script, expect-style, and judges what it prints.

usage: console-test.py <script> <log> -- <command...>

The command (a board's run.sh) runs with its serial console on stdin/stdout. The script holds
one step per line (# starts a comment):

  expect <regex>    wait until the output since the last match contains <regex> (Python syntax,
                    MULTILINE: ^ and $ match at line ends; CR is removed from the output first)
  send <text>       type <text>; escapes: \\r \\n \\t \\\\ \\xHH (e.g. \\x1d for Ctrl-])
  timeout <s>       the limit of each following expect (default 300 s)
  forbid <regex>    no line of the whole output may match, checked at the end
  exit              wait until the command ends by itself (the machine powered off)

Waits only for text: nothing depends on how long a step takes, only on what is printed, with a
generous limit per step. The whole output goes to <log>; a failure says which step failed and
shows the end of the output.
"""
import os
import re
import select
import signal
import subprocess
import sys
import time


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 == len(text):
            out += c.encode()
            i += 1
            continue
        n = text[i + 1]
        if n == "x":
            out.append(int(text[i + 2 : i + 4], 16))
            i += 4
            continue
        out += {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\"}.get(n, n.encode())
        i += 2
    return bytes(out)


def parse(path):
    steps = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            word, _, arg = line.partition(" ")
            if word not in ("expect", "send", "timeout", "forbid", "exit"):
                sys.exit(f"{path}:{number}: unknown step '{word}'")
            steps.append((number, word, arg))
    return steps


class Console:
    def __init__(self, command, log_path):
        # A session of its own: closing ends the emulator too, whatever wraps it.
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.log = open(log_path, "wb")
        self.text = ""  # output so far, CR removed
        self.pos = 0  # where the next expect starts searching
        self.done = False

    def pump(self, wait):
        """Reads what the command printed, waiting at most @wait seconds for something."""
        if self.done:
            return
        ready, _, _ = select.select([self.proc.stdout], [], [], wait)
        if not ready:
            return
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            self.done = True
            return
        self.log.write(data)
        self.log.flush()
        self.text += data.decode("utf-8", "replace").replace("\r", "")

    def expect(self, pattern, limit):
        regex = re.compile(pattern, re.MULTILINE)
        end = time.monotonic() + limit
        while True:
            m = regex.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return True
            if self.done or time.monotonic() > end:
                return False
            self.pump(1.0)

    def send(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass

    def wait_exit(self, limit):
        end = time.monotonic() + limit
        while not self.done and time.monotonic() < end:
            self.pump(1.0)
        try:
            return self.proc.wait(timeout=max(1.0, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self.log.close()


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    script, log_path, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    steps = parse(script)
    console = Console(command, log_path)
    limit = 300.0
    forbidden = []
    failed = None
    try:
        for number, word, arg in steps:
            if word == "timeout":
                limit = float(arg)
            elif word == "forbid":
                forbidden.append((number, arg))
            elif word == "send":
                console.send(unescape(arg))
            elif word == "expect":
                if not console.expect(arg, limit):
                    failed = f"step {number}: no output matched: {arg}"
                    break
            elif word == "exit":
                rc = console.wait_exit(limit)
                if rc is None:
                    failed = f"step {number}: the machine did not power off"
                    break
    finally:
        console.close()
    for number, pattern in forbidden:
        regex = re.compile(pattern, re.MULTILINE)
        m = regex.search(console.text)
        if m:
            line = console.text[console.text.rfind("\n", 0, m.start()) + 1 :].split("\n")[0]
            failed = failed or f"forbidden (step {number}) {pattern}: {line}"
    if failed:
        tail = "\n".join(console.text.split("\n")[-40:])
        print(f"---- last lines of the output ----\n{tail}\n----")
        print(f"FAIL: {os.path.basename(script)}: {failed}")
        return 1
    print(f"PASS: {os.path.basename(script)}: every step matched")
    return 0


if __name__ == "__main__":
    sys.exit(main())
