#!/bin/sh
chown app /data
exec setpriv --reuid=app --regid=app --init-groups python3 -m http.server
