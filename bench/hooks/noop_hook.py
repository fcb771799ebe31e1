"""A hook server that registers message.publish and returns every message unchanged (bench/mast-only.sh).

Run with Debian's python3 and the SDK on the path: PYTHONPATH=sdk/python /usr/bin/python3 bench/hooks/noop_hook.py 9002
"""
import logging
import sys

from mast_exhook import HookProvider, hook, serve


class NoopHook(HookProvider):
    @hook
    def on_message_publish(self, message):
        return message


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    serve(NoopHook(), port=int(sys.argv[1]))
