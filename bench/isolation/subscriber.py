#!/usr/bin/env python3
"""A subscriber to '#' at QoS 1 with a persistent session that stops reading (stall) or takes one message a second
(slow). Runs until killed. Usage: subscriber.py PORT stall|slow CLIENT_ID"""
import socket
import sys
import time

import mqtt

port, mode, client_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall(mqtt.connect(client_id, clean=False, keepalive=0))
assert mqtt.read_packet(s)[0] == 0x20, "CONNACK"
s.sendall(mqtt.subscribe(1, "#", 1))
assert mqtt.read_packet(s)[0] == 0x90, "SUBACK"
print("subscribed", flush=True)
if mode == "stall":
    while True:
        time.sleep(3600)
while True:
    p = mqtt.read_packet(s)
    if p is None:
        break
    first, body = p
    if first >> 4 == 3 and (first >> 1) & 3:
        topic_len = int.from_bytes(body[:2], "big")
        s.sendall(mqtt.puback(int.from_bytes(body[2 + topic_len:4 + topic_len], "big")))
    time.sleep(1)
