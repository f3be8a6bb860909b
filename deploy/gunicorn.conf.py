"""gunicorn settings for CSE Portal (`make serve`, the cluster, the container image).

Pre-forked worker processes, each with a few threads (gthread): the pages spend part of
their time waiting on PostgreSQL, and a thread pool keeps a worker busy meanwhile without
the memory of more processes. Long PDFs never run here: they are background tasks.
`reuse_port` lets several gunicorn masters listen on one address (the kernel spreads the
connections), which is how `make load-cluster` runs two app servers behind one address.
"""

import os

bind = [os.environ.get("CSE_BIND", "127.0.0.1:8443")]
workers = int(os.environ.get("CSE_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("CSE_THREADS", "4"))
reuse_port = True
timeout = 30  # a request that takes longer is a bug (PDFs run in the task worker)
graceful_timeout = 20
keepalive = 30  # longer than a client waits between requests: no race on a closing connection
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
# TLS on the server itself when a certificate is given (the local `make serve`); behind an
# authority's TLS proxy leave these empty and set CSE_BEHIND_TLS_PROXY=true.
certfile = os.environ.get("CSE_TLS_CERT") or None
keyfile = os.environ.get("CSE_TLS_KEY") or None
accesslog = os.environ.get("CSE_ACCESS_LOG") or None
# The combined format plus the time the server spent on the request, in milliseconds (%(M)s):
# the load test compares it with what the client waited.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
proc_name = os.environ.get("CSE_PROC_NAME", "cse-portal")
forwarded_allow_ips = os.environ.get("CSE_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket (one per master, in $HOME by default): off, as several masters
# run side by side and nothing here uses it.
control_socket_disable = True
