#!/bin/sh
exec celery worker
