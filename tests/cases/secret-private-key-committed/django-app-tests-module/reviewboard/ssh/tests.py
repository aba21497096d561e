"""Unit tests for the SSH client, with the throwaway keys the tests load."""

import paramiko

key1 = paramiko.RSAKey.from_private_key(io.StringIO(
    '-----BEGIN RSA PRIVATE KEY-----\n'
    'ug2sp/ulGQ9nulbM3Bs/MTCJciNsLkd2P9/sE3HO3NuMGQym/4rWA/gX7cDZPCpo\n'
    'fHs23WbnDyphAPxjQ+3IyHRJbLL1u/7Ijqm3fCcwSzf3DpS8ig+/UA4MlXqA69qH\n'
    '-----END RSA PRIVATE KEY-----\n'))
