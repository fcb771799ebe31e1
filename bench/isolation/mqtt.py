"""Just enough MQTT 3.1.1 over raw sockets for the isolation benchmarks (bench/isolation.sh)."""
import struct


def _vbi(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _str(s):
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def connect(client_id, clean=True, username=None, password=None, keepalive=60):
    flags = (0x02 if clean else 0) | (0x80 if username is not None else 0) | (0x40 if password is not None else 0)
    body = _str("MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive) + _str(client_id)
    if username is not None:
        body += _str(username)
    if password is not None:
        body += _str(password)
    return bytes([0x10]) + _vbi(len(body)) + body


def subscribe(packet_id, topic, qos):
    body = struct.pack("!H", packet_id) + _str(topic) + bytes([qos])
    return bytes([0x82]) + _vbi(len(body)) + body


def puback(packet_id):
    return bytes([0x40, 2]) + struct.pack("!H", packet_id)


def read_packet(sock):
    """Reads one packet: (first byte, body), or None at the end of the stream."""
    head = _read(sock, 1)
    if not head:
        return None
    mult, length = 1, 0
    while True:
        b = _read(sock, 1)
        if not b:
            return None
        length += (b[0] & 0x7F) * mult
        mult *= 128
        if not b[0] & 0x80:
            break
    body = _read(sock, length) if length else b""
    return head[0], body


def _read(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return data
        data += chunk
    return data
