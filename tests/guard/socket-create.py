# a socket through _socket reached from a loaded module's globals
# guard: import
import socket
socket.socket()
